// How the integer kernels (`Int8Dot`) read each weight type: per 32-weight block, the quantized weights as
// bytes, the scale d and the constant term m (weight = d · q + m).

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel

/// A weight type of the integer kernels: its tile, which `Int8Dot.rows` calls for one row segment and up to
/// `width` vectors (see `Int8Dot.tile` for the parameters). Types read per 32-weight block
/// (`Int8BlockWeights`) share `Int8Dot.tile`; Q4_K has its own super-block tile.
protocol Int8Weights {
    static func tile(width: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                     s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int)
}

/// How `Int8Dot.tile` reads a type: block `b` is weights 32b ..< 32b + 32 of a row.
protocol Int8BlockWeights: Int8Weights {
    /// Bytes per block of 32 weights in the row.
    static var bytes: Int { get }
    /// Blocks per prefetch hint when rows stream (a power of two, about a 64-byte line: counted as
    /// `b & (n − 1) == 0`, which measured faster than finding where each line starts).
    static var blocksPerPrefetch: Int { get }
    /// Whether `quants` are signed bytes (Q8_0) rather than unsigned (0…15).
    static var signed: Bool { get }
    /// Whether the weights have a constant term m.
    static var hasMinimum: Bool { get }
    /// When m is a fixed multiple of d (Q4_0: −8), that multiple; the kernels then sum d · (d_x Σ q_x) and
    /// scale once at the end (exact: the multiple is a power of two). 0 when m is the block's own.
    static var minimumPerScale: Float { get }
    /// The 32 quantized weights of block `b` as bytes, in weight order.
    static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i
    /// Block `b`'s (d, m), each in all eight lanes: weight = d · q + m.
    static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int) -> (__m256, __m256)
}

extension Int8BlockWeights {
    @inline(__always)
    static func tile(width: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                     s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        Int8Dot.tile(width: width, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride, Self.self)
    }
}

enum Q8_0Int8: Int8BlockWeights {
    static var bytes: Int { 34 }
    static var blocksPerPrefetch: Int { 2 }
    static var signed: Bool { true }
    static var hasMinimum: Bool { false }
    static var minimumPerScale: Float { 0 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i {
        row.loadUnaligned(fromByteOffset: 34 * b + 2, as: __m256i.self)
    }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 34 * b), __m256())
    }
}

enum Q4_0Int8: Int8BlockWeights {
    static var bytes: Int { 18 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var hasMinimum: Bool { true }
    /// d (q − 8) = d q − 8d.
    static var minimumPerScale: Float { -8 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i { Int8Dot.nibbles(row + 18 * b + 2) }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 18 * b), __m256())
    }
}

enum Q4_1Int8: Int8BlockWeights {
    static var bytes: Int { 20 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var hasMinimum: Bool { true }
    static var minimumPerScale: Float { 0 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i { Int8Dot.nibbles(row + 20 * b + 4) }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 20 * b), Int8Dot.broadcastHalf(row + 20 * b + 2))
    }
}

/// Q4_K: super-blocks of 256 weights (144 bytes: d, dmin, 12 bytes of 6-bit scales and minimums for the
/// eight sub-blocks of 32, then 128 bytes of nibbles: 32 bytes per pair of sub-blocks, the first in the
/// low nibbles). Sub-block i: weight = d · scale_i · q − dmin · min_i. Read by `Int8Dot.tileQ4_K`, against
/// activations with one scale per 256 (`Q8Activations.blocksPerScale` 8).
enum Q4_KInt8: Int8Weights {
    @inline(__always)
    static func tile(width: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                     s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        Int8Dot.tileQ4_K(width: width, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }
}
#endif
