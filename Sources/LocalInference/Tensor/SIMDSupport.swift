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
