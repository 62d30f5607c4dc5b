// The legacy ggml quantization blocks: 32 weights each, one fp16 scale (and a minimum for the `_1` types).
// Layouts follow ggml-common.h byte for byte; `QuantFixtureTests.testBlockLayoutsMatchGGML` checks each size.
// Scales are stored as raw fp16 bit patterns (`UInt16`) because the file's bytes are read in place.

/// Q4_0 (18 bytes): `w[j] = d * (q[j] - 8)`, q in 0...15.
public struct BlockQ4_0 {
    /// fp16 bits: the block's scale.
    public var d: UInt16
    /// 32 nibbles: byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    public var qs: InlineArray<16, UInt8>
}

/// Q4_1 (20 bytes): `w[j] = d * q[j] + m`, q in 0...15.
public struct BlockQ4_1 {
    /// fp16 bits: the block's scale.
    public var d: UInt16
    /// fp16 bits: the block's minimum.
    public var m: UInt16
    /// 32 nibbles: byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    public var qs: InlineArray<16, UInt8>
}

/// Q5_0 (22 bytes): `w[j] = d * (q[j] - 16)`, q in 0...31.
public struct BlockQ5_0 {
    /// fp16 bits: the block's scale.
    public var d: UInt16
    /// The fifth bits, little-endian uint32: bit j belongs to weight j.
    public var qh: InlineArray<4, UInt8>
    /// Low four bits: byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    public var qs: InlineArray<16, UInt8>
}

/// Q5_1 (24 bytes): `w[j] = d * q[j] + m`, q in 0...31.
public struct BlockQ5_1 {
    /// fp16 bits: the block's scale.
    public var d: UInt16
    /// fp16 bits: the block's minimum.
    public var m: UInt16
    /// The fifth bits, little-endian uint32: bit j belongs to weight j.
    public var qh: InlineArray<4, UInt8>
    /// Low four bits: byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    public var qs: InlineArray<16, UInt8>
}

/// Q8_0 (34 bytes): `w[j] = d * q[j]`, q in -127...127.
public struct BlockQ8_0 {
    /// fp16 bits: the block's scale.
    public var d: UInt16
    /// The 32 signed 8-bit values.
    public var qs: InlineArray<32, Int8>
}
