// How the integer kernels (`Int8Dot`) read each weight type: per 32-weight block, the quantized weights as
// bytes, the scale d and the constant term m (weight = d · q + m).

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel

/// How the integer kernels read a type: block `b` is weights 32b ..< 32b + 32 of a row, whatever the
/// type's own block size (a Q4_K super-block holds eight of them).
protocol Int8Weights {
    /// Bytes per block of 32 weights in the row (a Q4_K super-block's 144 / 8), and blocks per prefetch
    /// hint when rows stream (a power of two, about a 64-byte line: counted as `b & (n − 1) == 0`, which
    /// measured faster than finding where each line starts).
    static var bytes: Int { get }
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
    /// Block `b`'s (d, m), each in all eight lanes: weight = d · q + m. `cache` keeps what a type decodes
    /// once per super-block (Q4_K's eight scales and minimums); the kernels pass the same one for
    /// consecutive blocks of a row.
    static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int, _ cache: inout SIMD16<Float>) -> (__m256, __m256)
    /// Whether the type has its own kernel for super-blocks of 256 with integer sub-scales (`tileQ4_K`),
    /// reading activations quantized with one scale per 256 (`Q8Activations.blocksPerScale` 8).
    static var superBlocks: Bool { get }
}

extension Int8Weights {
    static var superBlocks: Bool { false }
}

enum Q8_0Int8: Int8Weights {
    static var bytes: Int { 34 }
    static var blocksPerPrefetch: Int { 2 }
    static var signed: Bool { true }
    static var hasMinimum: Bool { false }
    static var minimumPerScale: Float { 0 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i {
        row.loadUnaligned(fromByteOffset: 34 * b + 2, as: __m256i.self)
    }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int, _: inout SIMD16<Float>) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 34 * b), __m256())
    }
}

enum Q4_0Int8: Int8Weights {
    static var bytes: Int { 18 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var hasMinimum: Bool { true }
    /// d (q − 8) = d q − 8d.
    static var minimumPerScale: Float { -8 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i { Int8Dot.nibbles(row + 18 * b + 2) }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int, _: inout SIMD16<Float>) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 18 * b), __m256())
    }
}

enum Q4_1Int8: Int8Weights {
    static var bytes: Int { 20 }
    static var blocksPerPrefetch: Int { 4 }
    static var signed: Bool { false }
    static var hasMinimum: Bool { true }
    static var minimumPerScale: Float { 0 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i { Int8Dot.nibbles(row + 20 * b + 4) }
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int, _: inout SIMD16<Float>) -> (__m256, __m256) {
        (Int8Dot.broadcastHalf(row + 20 * b), Int8Dot.broadcastHalf(row + 20 * b + 2))
    }
}

/// Q4_K: super-blocks of 256 weights (144 bytes: d, dmin, 12 bytes of 6-bit scales and minimums for the
/// eight sub-blocks of 32, then 128 bytes of nibbles: 32 bytes per pair of sub-blocks, the first in the
/// low nibbles). Sub-block i: weight = d · scale_i · q − dmin · min_i.
enum Q4_KInt8: Int8Weights {
    static var bytes: Int { 18 }
    static var blocksPerPrefetch: Int { 8 }
    static var superBlocks: Bool { true }
    static var signed: Bool { false }
    static var hasMinimum: Bool { true }
    static var minimumPerScale: Float { 0 }
    @inline(__always) static func quants(_ row: UnsafeRawPointer, _ b: Int) -> __m256i {
        let bytes = row.loadUnaligned(fromByteOffset: 144 * (b >> 3) + 16 + 32 * ((b & 7) >> 1), as: __m256i.self)
        let shifted = (b & 1) == 0 ? bytes : _mm256_srli_epi16(bytes, 4)
        return _mm256_and_si256(shifted, _mm256_set1_epi8(0x0f))
    }
    /// Decodes the super-block's eight (d · scale_i, −dmin · min_i) into `cache` at its first sub-block.
    @inline(__always) static func scaleAndMinimum(_ row: UnsafeRawPointer, _ b: Int, _ cache: inout SIMD16<Float>) -> (__m256, __m256) {
        let i = b & 7
        if i == 0 {
            let block = row + 144 * (b >> 3)
            let d = block.half(0), dmin = block.half(2)
            for j in 0..<8 {
                let (scale, minimum) = scaleMinK4(j, block + 4)
                cache[j] = d * Float(scale)
                cache[8 + j] = -(dmin * Float(minimum))
            }
        }
        return (_mm256_set1_ps(cache[i]), _mm256_set1_ps(cache[8 + i]))
    }
}
#endif
