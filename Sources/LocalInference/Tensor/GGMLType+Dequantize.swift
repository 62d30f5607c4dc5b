// Scalar reference dequantizers, one per supported type, transcribing ggml's `dequantize_row_*`.
// They are the ground truth every faster path is tested against; `DequantizeTests` checks them against
// values computed by the `gguf` Python package (Fixtures/quant).

extension GGMLType {
    /// Dequantizes `count` consecutive elements starting at `source` (a row start, block-aligned).
    ///
    /// - Precondition: the type is supported and `count` is a multiple of `blockSize`.
    public func dequantizeRow(_ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % blockSize == 0, "\(name) rows are whole blocks of \(blockSize)")
        let blocks = count / blockSize
        switch self {
        case .f32:
            destination.update(from: source.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            for i in 0..<count { destination[i] = source.half(2 * i) }
        case .bf16:
            for i in 0..<count { destination[i] = bf16ToFloat(source.u16(2 * i)) }
        case .q4_0: for b in 0..<blocks { dequantizeQ4_0(source + b * 18, destination + b * 32) }
        case .q4_1: for b in 0..<blocks { dequantizeQ4_1(source + b * 20, destination + b * 32) }
        case .q5_0: for b in 0..<blocks { dequantizeQ5_0(source + b * 22, destination + b * 32) }
        case .q5_1: for b in 0..<blocks { dequantizeQ5_1(source + b * 24, destination + b * 32) }
        case .q8_0: for b in 0..<blocks { dequantizeQ8_0(source + b * 34, destination + b * 32) }
        case .q2_K: for b in 0..<blocks { dequantizeQ2_K(source + b * 84, destination + b * 256) }
        case .q3_K: for b in 0..<blocks { dequantizeQ3_K(source + b * 110, destination + b * 256) }
        case .q4_K: for b in 0..<blocks { dequantizeQ4_K(source + b * 144, destination + b * 256) }
        case .q5_K: for b in 0..<blocks { dequantizeQ5_K(source + b * 176, destination + b * 256) }
        case .q6_K: for b in 0..<blocks { dequantizeQ6_K(source + b * 210, destination + b * 256) }
        default:
            preconditionFailure("dequantizeRow: \(name) is not supported (supported: \(GGMLType.supportedNames))")
        }
    }

    /// Dequantizes a whole row into a new array (for tests and tools, not the hot path).
    public func dequantize(_ source: UnsafeRawPointer, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            dequantizeRow(source, into: buffer.baseAddress!, count: count)
            initialized = count
        }
    }
}

// MARK: - Legacy blocks (32 weights)

@inline(__always)
func dequantizeQ4_0(_ x: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = x.half(0)
    for j in 0..<16 {
        let q = x.u8(2 + j)
        y[j] = Float(Int32(q & 0x0f) - 8) * d
        y[j + 16] = Float(Int32(q >> 4) - 8) * d
    }
}

@inline(__always)
func dequantizeQ4_1(_ x: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = x.half(0), m = x.half(2)
    for j in 0..<16 {
        let q = x.u8(4 + j)
        y[j] = Float(q & 0x0f) * d + m
        y[j + 16] = Float(q >> 4) * d + m
    }
}

@inline(__always)
func dequantizeQ5_0(_ x: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = x.half(0)
    let qh = x.u32(2)
    for j in 0..<16 {
        let q = x.u8(6 + j)
        let h0 = UInt8(truncatingIfNeeded: ((qh >> UInt32(j)) << 4) & 0x10)
        let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12)) & 0x10)
        y[j] = Float(Int32((q & 0x0f) | h0) - 16) * d
        y[j + 16] = Float(Int32((q >> 4) | h1) - 16) * d
    }
}

@inline(__always)
func dequantizeQ5_1(_ x: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = x.half(0), m = x.half(2)
    let qh = x.u32(4)
    for j in 0..<16 {
        let q = x.u8(8 + j)
        let h0 = UInt8(truncatingIfNeeded: ((qh >> UInt32(j)) << 4) & 0x10)
        let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12)) & 0x10)
        y[j] = Float((q & 0x0f) | h0) * d + m
        y[j + 16] = Float((q >> 4) | h1) * d + m
    }
}

@inline(__always)
func dequantizeQ8_0(_ x: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = x.half(0)
    for j in 0..<32 { y[j] = Float(x.i8(2 + j)) * d }
}

// MARK: - k-quants (256 weights)

@inline(__always)
func dequantizeQ2_K(_ x: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    // scales @0 (16), qs @16 (64), d @80, dmin @82
    let d = x.half(80), dmin = x.half(82)
    var y = out
    var scaleIndex = 0
    for half in 0..<2 {
        let q = 16 + half * 32
        for shift in stride(from: 0, to: 8, by: 2) {
            for group in 0..<2 {
                let sc = x.u8(scaleIndex); scaleIndex += 1
                let dl = d * Float(sc & 0x0f), ml = dmin * Float(sc >> 4)
                for l in 0..<16 {
                    y[l] = dl * Float((x.u8(q + group * 16 + l) >> UInt8(shift)) & 3) - ml
                }
                y += 16
            }
        }
    }
}

/// Unpacks Q3_K's 16 six-bit scales from 12 bytes into signed values (already minus 32).
@inline(__always)
func unpackQ3_KScales(_ s: UnsafeRawPointer) -> InlineArray<16, Int8> {
    let kmask1: UInt32 = 0x0303_0303, kmask2: UInt32 = 0x0f0f_0f0f
    let a0 = s.u32(0), a1 = s.u32(4), tmp = s.u32(8)
    let words: InlineArray<4, UInt32> = [
        (a0 & kmask2) | (((tmp >> 0) & kmask1) << 4),
        (a1 & kmask2) | (((tmp >> 2) & kmask1) << 4),
        ((a0 >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4),
        ((a1 >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4),
    ]
    var out = InlineArray<16, Int8>(repeating: 0)
    for i in 0..<16 {
        let byte = UInt8(truncatingIfNeeded: words[i / 4] >> UInt32(8 * (i % 4)))
        out[i] = Int8(Int(byte) - 32)
    }
    return out
}

@inline(__always)
func dequantizeQ3_K(_ x: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    // hmask @0 (32), qs @32 (64), scales @96 (12), d @108
    let dAll = x.half(108)
    let scales = unpackQ3_KScales(x + 96)
    var y = out
    var scaleIndex = 0
    var m: UInt8 = 1
    for half in 0..<2 {
        let q = 32 + half * 32
        for shift in stride(from: 0, to: 8, by: 2) {
            for group in 0..<2 {
                let dl = dAll * Float(scales[scaleIndex]); scaleIndex += 1
                for l in 0..<16 {
                    let low = Int32((x.u8(q + group * 16 + l) >> UInt8(shift)) & 3)
                    let high: Int32 = (x.u8(group * 16 + l) & m) != 0 ? 0 : 4
                    y[l] = dl * Float(low - high)
                }
                y += 16
            }
            m <<= 1
        }
    }
}

/// Scale and minimum of sub-block `j` (0..<8) of a Q4_K/Q5_K block (ggml's `get_scale_min_k4`).
@inline(__always)
func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
    if j < 4 {
        return (q.u8(j) & 63, q.u8(j + 4) & 63)
    }
    return ((q.u8(j + 4) & 0x0f) | ((q.u8(j - 4) >> 6) << 4),
            (q.u8(j + 4) >> 4) | ((q.u8(j) >> 6) << 4))
}

@inline(__always)
func dequantizeQ4_K(_ x: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    // d @0, dmin @2, scales @4 (12), qs @16 (128)
    let d = x.half(0), dmin = x.half(2)
    var y = out
    for pair in 0..<4 {
        let (s1, m1) = scaleMinK4(2 * pair, x + 4)
        let (s2, m2) = scaleMinK4(2 * pair + 1, x + 4)
        let d1 = d * Float(s1), min1 = dmin * Float(m1)
        let d2 = d * Float(s2), min2 = dmin * Float(m2)
        let q = 16 + 32 * pair
        for l in 0..<32 { y[l] = d1 * Float(x.u8(q + l) & 0x0f) - min1 }
        for l in 0..<32 { y[32 + l] = d2 * Float(x.u8(q + l) >> 4) - min2 }
        y += 64
    }
}

@inline(__always)
func dequantizeQ5_K(_ x: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    // d @0, dmin @2, scales @4 (12), qh @16 (32), qs @48 (128)
    let d = x.half(0), dmin = x.half(2)
    var y = out
    var u1: UInt8 = 1, u2: UInt8 = 2
    for pair in 0..<4 {
        let (s1, m1) = scaleMinK4(2 * pair, x + 4)
        let (s2, m2) = scaleMinK4(2 * pair + 1, x + 4)
        let d1 = d * Float(s1), min1 = dmin * Float(m1)
        let d2 = d * Float(s2), min2 = dmin * Float(m2)
        let q = 48 + 32 * pair
        for l in 0..<32 {
            let h: UInt8 = (x.u8(16 + l) & u1) != 0 ? 16 : 0
            y[l] = d1 * Float((x.u8(q + l) & 0x0f) + h) - min1
        }
        for l in 0..<32 {
            let h: UInt8 = (x.u8(16 + l) & u2) != 0 ? 16 : 0
            y[32 + l] = d2 * Float((x.u8(q + l) >> 4) + h) - min2
        }
        y += 64
        u1 <<= 2; u2 <<= 2
    }
}

@inline(__always)
func dequantizeQ6_K(_ x: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    // ql @0 (128), qh @128 (64), scales @192 (16, signed), d @208
    let d = x.half(208)
    for half in 0..<2 {
        let ql = 64 * half, qh = 128 + 32 * half, sc = 192 + 8 * half
        let y = out + 128 * half
        for l in 0..<32 {
            let isc = l / 16
            let h = x.u8(qh + l)
            let q1 = Int32((x.u8(ql + l) & 0x0f) | ((h & 3) << 4)) - 32
            let q2 = Int32((x.u8(ql + l + 32) & 0x0f) | (((h >> 2) & 3) << 4)) - 32
            let q3 = Int32((x.u8(ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32
            let q4 = Int32((x.u8(ql + l + 32) >> 4) | (((h >> 6) & 3) << 4)) - 32
            y[l] = d * Float(x.i8(sc + isc)) * Float(q1)
            y[l + 32] = d * Float(x.i8(sc + isc + 2)) * Float(q2)
            y[l + 64] = d * Float(x.i8(sc + isc + 4)) * Float(q3)
            y[l + 96] = d * Float(x.i8(sc + isc + 6)) * Float(q4)
        }
    }
}
