// How the integer kernels (`Int8Dot`) read each weight type: per 32-weight block, the quantized weights as
// bytes, the scale d and the constant term m (weight = d · q + m).

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel

/// A weight type of the integer kernels: `rows` computes `y[s · rows + r] = row(r) · x_s` for r in `range`
/// and every vector of `a`. Types read per 32-weight block (`Int8BlockWeights`) share `Int8Dot.blockRows`;
/// Q4_K and Q6_K have their own super-block kernels.
protocol Int8Weights {
    static func rows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations, _ y: UnsafeMutablePointer<Float>)
}

/// How `Int8Dot.blockRows` reads a type: block `b` of a row is its weights 32b ..< 32b + 32, `bytes` bytes
/// from byte `b · bytes`, starting with d as fp16 (then m as fp16, for Q4_1) and ending with the quants.
protocol Int8BlockWeights: Int8Weights {
    /// Bytes per block of 32 weights in the row.
    static var bytes: Int { get }
    /// Where in a block its quants start (after d, and m).
    static var quantsOffset: Int { get }
    /// Blocks per prefetch hint when rows stream (a power of two, about a 64-byte line: counted as
    /// `b & (n − 1) == 0`, which measured faster than finding where each line starts).
    static var blocksPerPrefetch: Int { get }
    /// Whether the quants are 32 signed bytes (Q8_0, or Q5_0 decoded: `fiveBit`) rather than 16 bytes of
    /// nibbles 0…15 (byte j: weight j in the low nibble, weight j + 16 in the high).
    static var signed: Bool { get }
    /// Whether the block is Q5_0's: d, 4 bytes of fifth bits, 16 bytes of nibbles, read as the 32 signed
    /// bytes q − 16 (`Int8Dot.fiveBitWeights`). Unsigned 5-bit values would overflow the 16-bit sums of the
    /// nibble path (16 · 31 · 127 > 32,767); signed ones take Q8_0's path, widened at every step.
    static var fiveBit: Bool { get }
    /// Whether the weights have a constant term m.
    static var hasMinimum: Bool { get }
    /// When m is a fixed multiple of d (Q4_0: −8), that multiple; the kernels then sum d · (d_x Σ q_x) and
    /// scale once at the end (exact: the multiple is a power of two). 0 when m is the block's own (at byte 2).
    static var minimumPerScale: Float { get }
}

extension Int8BlockWeights {
    @inline(__always)
    static func rows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations, _ y: UnsafeMutablePointer<Float>) {
        Int8Dot.blockRows(matrix, range, a, y, Self.self)
    }

    /// Block `b`'s (d, m), each in all eight lanes (m: zero when the type has none of its own).
    @inline(__always)
    static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int) -> (__m256, __m256) {
        let block = row + bytes * b
        return (Int8Dot.broadcastHalf(block), hasMinimum && minimumPerScale == 0 ? Int8Dot.broadcastHalf(block + 2) : __m256())
    }
}

enum Q8_0Int8: Int8BlockWeights {
    static var bytes: Int { 34 }
    static var quantsOffset: Int { 2 }
    static var blocksPerPrefetch: Int { 2 }
    static var signed: Bool { true }
    static var fiveBit: Bool { false }
    static var hasMinimum: Bool { false }
    static var minimumPerScale: Float { 0 }
}

enum Q4_0Int8: Int8BlockWeights {
    static var bytes: Int { 18 }
    static var quantsOffset: Int { 2 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var fiveBit: Bool { false }
    static var hasMinimum: Bool { true }
    /// d (q − 8) = d q − 8d.
    static var minimumPerScale: Float { -8 }
}

enum Q4_1Int8: Int8BlockWeights {
    static var bytes: Int { 20 }
    static var quantsOffset: Int { 4 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var fiveBit: Bool { false }
    static var hasMinimum: Bool { true }
    static var minimumPerScale: Float { 0 }
}

/// Q5_0 (22 bytes): d, then the fifth bits (bit j: weight j), then nibbles as Q4_0's; weight = d · (q − 16),
/// read as signed bytes q − 16 in −16…15 and multiplied as Q8_0's (no constant term).
enum Q5_0Int8: Int8BlockWeights {
    static var bytes: Int { 22 }
    static var quantsOffset: Int { 6 }
    static var blocksPerPrefetch: Int { 2 }
    static var signed: Bool { true }
    static var fiveBit: Bool { true }
    static var hasMinimum: Bool { false }
    static var minimumPerScale: Float { 0 }
}

/// Q4_K: super-blocks of 256 weights (144 bytes: d, dmin, 12 bytes of 6-bit scales and minimums for the
/// eight sub-blocks of 32, then 128 bytes of nibbles: 32 bytes per pair of sub-blocks, the first in the
/// low nibbles). Sub-block i: weight = d · scale_i · q − dmin · min_i. Read by `Int8Dot.superBlockRows`, against
/// activations with one scale per 256 (`Q8Activations.blocksPerScale` 8).
enum Q4_KInt8: Int8Weights {
    @inline(__always)
    static func rows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations, _ y: UnsafeMutablePointer<Float>) {
        Int8Dot.superBlockRows(matrix, range, a, y)
    }
}

/// Q6_K: super-blocks of 256 weights (210 bytes: 128 bytes of low nibbles, 64 bytes of high bit pairs, 16
/// signed 8-bit scales, d), sixteen sub-blocks of 16. Sub-block i: weight = d · scale_i · (q − 32), q in 0…63.
/// Read by `Int8Dot.superBlockRows` (`Int8Dot+Q6_K.swift`), against one activation scale per 256.
enum Q6_KInt8: Int8Weights {
    @inline(__always)
    static func rows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations, _ y: UnsafeMutablePointer<Float>) {
        Int8Dot.superBlockRows(matrix, range, a, y)
    }
}
#endif
