// Small SIMD helpers shared by the kernels, written so that LLVM emits one instruction each
// (checked with `swiftc -emit-assembly`: vpmovzxbd/vpmovsxbd, vcvtdq2ps, vfmadd231ps, vcvtph2ps).
//
// `JUDGE_X86_V3` is defined by Package.swift when LocalInference is built for x86-64-v3 (AVX2, FMA, F16C);
// `JUDGE_PORTABLE=1 swift build` builds without it, and these helpers fall back to plain SSE2 arithmetic.

/// `acc + a * b`, fused where the target has FMA (an unfused `fma` call on plain x86-64 is a library call).
@inline(__always)
func multiplyAdd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if JUDGE_X86_V3 || arch(arm64)
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}

/// `acc + a * b` with a scalar `b` broadcast to all lanes.
@inline(__always)
func multiplyAdd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: Float) -> SIMD8<Float> {
    multiplyAdd(acc, a, SIMD8<Float>(repeating: b))
}

extension UnsafeRawPointer {
    /// Eight floats from `offset` bytes on (any alignment).
    @inline(__always)
    func floats8(_ offset: Int = 0) -> SIMD8<Float> { loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) }

    /// Eight signed bytes widened to floats (vpmovsxbd + vcvtdq2ps).
    @inline(__always)
    func int8x8(_ offset: Int) -> SIMD8<Float> {
        widen(loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)).floats
    }

    /// Eight bytes widened to 32-bit lanes (vpmovzxbd), for nibble and bit-field extraction.
    @inline(__always)
    func uint8x8(_ offset: Int) -> SIMD8<Int32> {
        widen(loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self))
    }
}

extension UnsafePointer where Pointee == Float {
    /// Eight floats from element `offset` on.
    @inline(__always)
    func floats8(_ offset: Int = 0) -> SIMD8<Float> { UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self) }
}

// MARK: - Lane conversions
//
// The standard library's generic conversions (`SIMD8<Float>(_:)`, `SIMD8<Int32>(truncatingIfNeeded:)`) are
// specialized but, inside a large kernel, not inlined: each became a call that split the vector into two
// halves, cleared the upper registers and spilled the tile's accumulators — a quarter of all decode time
// (perf, 2026-11-26). These lane loops are always inlined, and LLVM folds each into its one instruction.

extension SIMD8 where Scalar == Int32 {
    /// The lanes as floats (vcvtdq2ps).
    @inline(__always)
    var floats: SIMD8<Float> {
        var r = SIMD8<Float>()
        for i in 0..<8 { r[i] = Float(self[i]) }
        return r
    }
}

/// fp16 lanes widened to floats (vcvtph2ps).
@inline(__always)
func floats(_ v: SIMD8<Float16>) -> SIMD8<Float> {
    var r = SIMD8<Float>()
    for i in 0..<8 { r[i] = Float(v[i]) }
    return r
}

/// Float lanes rounded to fp16, to nearest even (vcvtps2ph).
@inline(__always)
func halves(_ v: SIMD8<Float>) -> SIMD8<Float16> {
    var r = SIMD8<Float16>()
    for i in 0..<8 { r[i] = Float16(v[i]) }
    return r
}

/// Unsigned bytes zero-extended to 32-bit lanes (vpmovzxbd).
@inline(__always)
func widen(_ v: SIMD8<UInt8>) -> SIMD8<Int32> {
    var r = SIMD8<Int32>()
    for i in 0..<8 { r[i] = Int32(v[i]) }
    return r
}

/// Signed bytes sign-extended to 32-bit lanes (vpmovsxbd).
@inline(__always)
func widen(_ v: SIMD8<Int8>) -> SIMD8<Int32> {
    var r = SIMD8<Int32>()
    for i in 0..<8 { r[i] = Int32(v[i]) }
    return r
}

// MARK: - Sums

/// Σ of the eight lanes as a tree (halves, quarters, pairs): three dependent adds, where `sum()` chains seven.
@inline(__always)
func treeSum(_ v: SIMD8<Float>) -> Float {
    let half = v.lowHalf + v.highHalf, quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
}

// MARK: - Exponential

/// e^x lane by lane, within 2 ulp of `expf` for x in [−87.3, 88.3] (Cephes' expf: x = n ln 2 + r,
/// |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r, then 2^n written into the exponent). Beyond that range
/// x is clamped: e^x is then ≈ 1.2e−38 or ≈ 2.2e38 rather than 0 or infinity, which the softmax and SiLU
/// that call it cannot tell apart.
///
/// Eight lanes for the cost of one scalar `expf` call, which SwiGLU and attention made ≈ 1.1 million times
/// per step of a 16-sequence SmolLM2 batch. Each lane depends only on its own input, so a value comes out
/// the same whichever lane or chunk it is computed in.
@inline(__always)
func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var clamped = SIMD8<Float>()   // lane by lane: the generic `clamped` was a call, not vmaxps/vminps
    for i in 0..<8 { clamped[i] = Swift.min(Swift.max(x[i], -87.3), 88.3) }
    let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)   // round(x / ln 2)
    // r = x − n ln 2, with ln 2 in two parts so that n · ln2High is exact.
    let r = multiplyAdd(multiplyAdd(clamped, n, SIMD8(repeating: -0.693_359_375)), n, SIMD8(repeating: 2.121_944_4e-4))
    var p = multiplyAdd(SIMD8(repeating: 1.398_199_950_7e-3), SIMD8(repeating: 1.987_569_150_0e-4), r)
    p = multiplyAdd(SIMD8(repeating: 8.333_451_907_3e-3), p, r)
    p = multiplyAdd(SIMD8(repeating: 4.166_579_589_4e-2), p, r)
    p = multiplyAdd(SIMD8(repeating: 1.666_666_545_9e-1), p, r)
    p = multiplyAdd(SIMD8(repeating: 5.000_000_120_1e-1), p, r)
    p = multiplyAdd(r + 1, p, r * r)
    // 2^n: n + 1.5 · 2^23 holds n in its low mantissa bits (|n| ≤ 128); then n + 127 into the exponent field.
    let bits = unsafeBitCast(n + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
    return p * unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
}
