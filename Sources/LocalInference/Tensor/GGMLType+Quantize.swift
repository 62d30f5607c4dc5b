// Reference quantizers, transcribing ggml's `quantize_row_*_ref` (round-to-nearest, no importance matrix).
// `QuantizeTests` checks them byte for byte against the `gguf` Python package (Fixtures/quant).

extension GGMLType {
    /// The types `quantizeRow` can produce.
    public static let quantizable: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1]

    /// Quantizes `count` floats (a multiple of `blockSize`) into `rowBytes(count)` bytes at `destination`.
    ///
    /// - Precondition: the type is in `GGMLType.quantizable`.
    public func quantizeRow(_ source: UnsafePointer<Float>, into destination: UnsafeMutableRawPointer, count: Int) {
        precondition(count % blockSize == 0, "\(name) rows are whole blocks of \(blockSize)")
        let blocks = count / blockSize
        switch self {
        case .f32:
            destination.copyMemory(from: source, byteCount: 4 * count)
        case .f16:
            for i in 0..<count { destination.storeBytes(of: floatToHalf(source[i]), toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0..<count { destination.storeBytes(of: floatToBF16(source[i]), toByteOffset: 2 * i, as: UInt16.self) }
        case .q4_0: for b in 0..<blocks { quantizeQ4_0(source + 32 * b, destination + 18 * b) }
        case .q4_1: for b in 0..<blocks { quantizeQ4_1(source + 32 * b, destination + 20 * b) }
        case .q5_0: for b in 0..<blocks { quantizeQ5_0(source + 32 * b, destination + 22 * b) }
        case .q5_1: for b in 0..<blocks { quantizeQ5_1(source + 32 * b, destination + 24 * b) }
        case .q8_0: for b in 0..<blocks { quantizeQ8_0(source + 32 * b, destination + 34 * b) }
        default:
            preconditionFailure("quantizeRow: \(name) cannot be quantized (quantizable: \(GGMLType.quantizable.map(\.name)))")
        }
    }

    /// Quantizes `values` (whole rows of whole blocks) into a new byte array.
    public func quantize(_ values: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rowBytes(values.count))
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { quantizeRow(src.baseAddress!, into: $0.baseAddress!, count: values.count) }
        }
        return out
    }
}

// MARK: - Block quantizers

/// The value of largest magnitude in a block of 32, keeping its sign.
@inline(__always)
private func signedAbsMax(_ x: UnsafePointer<Float>) -> Float {
    var amax: Float = 0, max: Float = 0
    for j in 0..<32 where amax < abs(x[j]) {
        amax = abs(x[j]); max = x[j]
    }
    return max
}

@inline(__always)
private func minMax(_ x: UnsafePointer<Float>) -> (min: Float, max: Float) {
    var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
    for j in 0..<32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
    return (lo, hi)
}

private func quantizeQ4_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
    let d = signedAbsMax(x) / -8
    let id: Float = d != 0 ? 1 / d : 0
    y.storeBytes(of: floatToHalf(d), as: UInt16.self)
    for j in 0..<16 {
        let q0 = min(15, UInt8(truncatingIfNeeded: Int8(x[j] * id + 8.5)))
        let q1 = min(15, UInt8(truncatingIfNeeded: Int8(x[j + 16] * id + 8.5)))
        y.storeBytes(of: q0 | (q1 << 4), toByteOffset: 2 + j, as: UInt8.self)
    }
}

private func quantizeQ4_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
    let (lo, hi) = minMax(x)
    let d = (hi - lo) / 15
    let id: Float = d != 0 ? 1 / d : 0
    y.storeBytes(of: floatToHalf(d), as: UInt16.self)
    y.storeBytes(of: floatToHalf(lo), toByteOffset: 2, as: UInt16.self)
    for j in 0..<16 {
        let q0 = min(15, UInt8(truncatingIfNeeded: Int8((x[j] - lo) * id + 0.5)))
        let q1 = min(15, UInt8(truncatingIfNeeded: Int8((x[j + 16] - lo) * id + 0.5)))
        y.storeBytes(of: q0 | (q1 << 4), toByteOffset: 4 + j, as: UInt8.self)
    }
}

private func quantizeQ5_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
    let d = signedAbsMax(x) / -16
    let id: Float = d != 0 ? 1 / d : 0
    y.storeBytes(of: floatToHalf(d), as: UInt16.self)
    var qh: UInt32 = 0
    for j in 0..<16 {
        let q0 = min(31, UInt8(truncatingIfNeeded: Int8(x[j] * id + 16.5)))
        let q1 = min(31, UInt8(truncatingIfNeeded: Int8(x[j + 16] * id + 16.5)))
        y.storeBytes(of: (q0 & 0x0f) | ((q1 & 0x0f) << 4), toByteOffset: 6 + j, as: UInt8.self)
        qh |= UInt32((q0 & 0x10) >> 4) << UInt32(j)
        qh |= UInt32((q1 & 0x10) >> 4) << UInt32(j + 16)
    }
    y.storeBytes(of: qh.littleEndian, toByteOffset: 2, as: UInt32.self)
}

private func quantizeQ5_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
    let (lo, hi) = minMax(x)
    let d = (hi - lo) / 31
    let id: Float = d != 0 ? 1 / d : 0
    y.storeBytes(of: floatToHalf(d), as: UInt16.self)
    y.storeBytes(of: floatToHalf(lo), toByteOffset: 2, as: UInt16.self)
    var qh: UInt32 = 0
    for j in 0..<16 {
        let q0 = UInt8(truncatingIfNeeded: Int((x[j] - lo) * id + 0.5))
        let q1 = UInt8(truncatingIfNeeded: Int((x[j + 16] - lo) * id + 0.5))
        y.storeBytes(of: (q0 & 0x0f) | ((q1 & 0x0f) << 4), toByteOffset: 8 + j, as: UInt8.self)
        qh |= UInt32((q0 & 0x10) >> 4) << UInt32(j)
        qh |= UInt32((q1 & 0x10) >> 4) << UInt32(j + 16)
    }
    y.storeBytes(of: qh.littleEndian, toByteOffset: 4, as: UInt32.self)
}

private func quantizeQ8_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
    var amax: Float = 0
    for j in 0..<32 { amax = max(amax, abs(x[j])) }
    let d = amax / 127
    let id: Float = d != 0 ? 1 / d : 0
    y.storeBytes(of: floatToHalf(d), as: UInt16.self)
    for j in 0..<32 {
        y.storeBytes(of: Int8((x[j] * id).rounded(.toNearestOrAwayFromZero)), toByteOffset: 2 + j, as: Int8.self)
    }
}
