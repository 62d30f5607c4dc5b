// The k-quant super-blocks: 256 weights in sub-blocks of 16 or 32, whose scales are themselves quantized
// against one fp16 super-scale. Layouts follow ggml-common.h byte for byte;
// `QuantFixtureTests.testBlockLayoutsMatchGGML` checks each size.

/// Q2_K (84 bytes): 16 sub-blocks of 16; `w = d * sc * q - dmin * m`, q in 0...3.
public struct BlockQ2_K {
    /// Per sub-block: scale (low nibble) and minimum (high nibble), 4 bits each.
    public var scales: InlineArray<16, UInt8>
    /// 2-bit values, four per byte: 128-weight halves, shifts 0/2/4/6 select 32-weight groups.
    public var qs: InlineArray<64, UInt8>
    /// fp16 bits: super-block scale of the scales.
    public var d: UInt16
    /// fp16 bits: super-block scale of the minimums.
    public var dmin: UInt16
}

/// Q3_K (110 bytes): 16 sub-blocks of 16; `w = d * (sc - 32) * (q - 4 * !hbit)`, q in 0...3.
public struct BlockQ3_K {
    /// High bit of each weight: bit n of byte l belongs to weight 32 * n + l.
    public var hmask: InlineArray<32, UInt8>
    /// Low two bits, four per byte (as in Q2_K).
    public var qs: InlineArray<64, UInt8>
    /// 16 six-bit scales packed in 12 bytes (low nibbles in bytes 0–7, high pairs in 8–11).
    public var scales: InlineArray<12, UInt8>
    /// fp16 bits: super-block scale.
    public var d: UInt16
}

/// Q4_K (144 bytes): 8 sub-blocks of 32; `w = d * sc * q - dmin * m`, q in 0...15.
public struct BlockQ4_K {
    /// fp16 bits: super-block scale of the scales.
    public var d: UInt16
    /// fp16 bits: super-block scale of the minimums.
    public var dmin: UInt16
    /// 8 six-bit scales and 8 six-bit minimums packed in 12 bytes (`get_scale_min_k4`).
    public var scales: InlineArray<12, UInt8>
    /// Nibbles: each 32-byte group holds sub-block 2i (low nibbles) and 2i + 1 (high nibbles).
    public var qs: InlineArray<128, UInt8>
}

/// Q5_K (176 bytes): 8 sub-blocks of 32; `w = d * sc * q - dmin * m`, q in 0...31.
public struct BlockQ5_K {
    /// fp16 bits: super-block scale of the scales.
    public var d: UInt16
    /// fp16 bits: super-block scale of the minimums.
    public var dmin: UInt16
    /// 8 six-bit scales and 8 six-bit minimums packed in 12 bytes (as in Q4_K).
    public var scales: InlineArray<12, UInt8>
    /// Fifth bits: bit s of byte l belongs to weight 32 * s + l.
    public var qh: InlineArray<32, UInt8>
    /// Low nibbles, laid out as in Q4_K.
    public var qs: InlineArray<128, UInt8>
}

/// Q6_K (210 bytes): 16 sub-blocks of 16; `w = d * sc * (q - 32)`, q in 0...63.
public struct BlockQ6_K {
    /// Low four bits of each weight.
    public var ql: InlineArray<128, UInt8>
    /// High two bits of each weight, four per byte.
    public var qh: InlineArray<64, UInt8>
    /// Signed 8-bit scale of each sub-block of 16.
    public var scales: InlineArray<16, Int8>
    /// fp16 bits: super-block scale.
    public var d: UInt16
}
