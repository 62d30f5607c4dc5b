// fp16 and bf16 conversions (the scales of every quantized block are fp16).

/// fp16 → fp32: one `vcvtph2ps` when built for x86-64-v3 (F16C); otherwise by bit manipulation, because the
/// standard library's conversion is a software call (`__extendhfsf2`) on x86 without F16C, which dominated
/// the quantized kernels.
@inline(__always)
func halfToFloat(_ bits: UInt16) -> Float {
    #if JUDGE_X86_V3 || arch(arm64)
    return Float(Float16(bitPattern: bits))
    #else
    return halfToFloatBits(bits)
    #endif
}

/// fp16 → fp32 by bit manipulation (exact for every bit pattern; NaN payloads kept).
@inline(__always)
func halfToFloatBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1f
    let mantissa = UInt32(bits & 0x03ff)
    if exponent != 0 && exponent != 31 {
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
    if exponent == 0 {
        // Zero or subnormal: mantissa × 2^-24.
        let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
        return sign != 0 ? -magnitude : magnitude
    }
    return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))   // infinity or NaN
}

@inline(__always)
func floatToHalf(_ value: Float) -> UInt16 { Float16(value).bitPattern }

@inline(__always)
func bf16ToFloat(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

/// Rounds to nearest even like ggml's `GGML_FP32_TO_BF16`; NaN stays a quiet NaN.
@inline(__always)
func floatToBF16(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if (bits & 0x7fff_ffff) > 0x7f80_0000 { return UInt16(bits >> 16) | 64 }
    return UInt16((bits &+ (0x7fff &+ ((bits >> 16) & 1))) >> 16)
}

extension UnsafeRawPointer {
    @inline(__always) func u8(_ offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
    @inline(__always) func i8(_ offset: Int) -> Int8 { load(fromByteOffset: offset, as: Int8.self) }
    @inline(__always) func u16(_ offset: Int) -> UInt16 { loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
    @inline(__always) func u32(_ offset: Int) -> UInt32 { loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    @inline(__always) func half(_ offset: Int) -> Float { halfToFloat(u16(offset)) }
}
