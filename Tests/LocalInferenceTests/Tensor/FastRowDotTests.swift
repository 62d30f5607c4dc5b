import XCTest
@testable import LocalInference

/// The decode kernels (`RowDot.fastKernel`) against the scalar reference (`dequantizeRow`, then a plain dot
/// in double), on random blocks whose every byte is random (all nibble and int8 values, including −128 and
/// 15) and whose fp16 scales include negatives, zero, subnormals and large values.
final class FastRowDotTests: XCTestCase {
    /// Named tolerance: the kernels only reorder fp32 sums (and split off the minimum term `m · Σx`);
    /// 1e-5 of Σ|w x| bounds that for rows of a few thousand weights.
    static let relativeTolerance = 1e-5

    static let fastTypes: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q4_K, .q6_K]
    /// Byte offsets of each block's fp16 scale fields.
    static let scaleOffsets: [GGMLType: [Int]] = [.q8_0: [0], .q4_0: [0], .q4_1: [0, 2], .q4_K: [0, 2], .q6_K: [208]]
    /// Scales that exercise the edges: negative, zero, the smallest subnormal, a normal, a large value.
    static let edgeScales: [Float] = [0.01, -0.02, 0, 5.96e-8, 0.5, 60_000, 1e-3]

    func testEveryFastTypeHasAKernelAndOthersUseTheGenericPath() {
        for type in GGMLType.supported {
            XCTAssertEqual(RowDot.fastKernel(for: type) != nil, Self.fastTypes.contains(type), type.name)
        }
    }

    func testFastKernelsMatchTheReferenceOnRandomBlocks() {
        var rng = SplitMix64(seed: 6)
        for type in Self.fastTypes {
            for columns in [256, 512, 4096] where columns % type.blockSize == 0 {
                let rows = 23
                let bytes = randomBlocks(type, count: rows * columns / type.blockSize, rng: &rng)
                // Activations with outliers, exact zeros and tiny values, as after an RMSNorm.
                let x: [Float] = (0..<columns).map { i in
                    switch i % 61 { case 0: return 40 * rng.normal(); case 1: return 0; case 2: return 1e-30
                    default: return rng.normal() }
                }
                check(type, bytes: bytes, rows: rows, columns: columns, x: x)
            }
        }
    }

    func testQuantizedModelWeightsMatchTheReference() {
        // Legacy types through our quantizer (the blocks a converter writes), including all-zero blocks.
        var rng = SplitMix64(seed: 7)
        for type in [GGMLType.q8_0, .q4_0, .q4_1] {
            let rows = 9, columns = 1536
            var values = (0..<(rows * columns)).map { _ in rng.normal(0.1) }
            for i in 0..<32 { values[columns + i] = 0 }                 // a zero block
            for i in 0..<32 { values[2 * columns + i] = i % 2 == 0 ? 3 : -3 }   // saturated block
            let x = (0..<columns).map { _ in rng.normal() }
            check(type, bytes: type.quantize(values), rows: rows, columns: columns, x: x)
        }
    }

    // MARK: - Helpers

    private func randomBlocks(_ type: GGMLType, count: Int, rng: inout SplitMix64) -> [UInt8] {
        var bytes = (0..<(count * type.bytesPerBlock)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for b in 0..<count {
            for (k, offset) in Self.scaleOffsets[type]!.enumerated() {
                let scale = Self.edgeScales[(b + 3 * k) % Self.edgeScales.count] * (k == 0 ? 1 : 0.5)
                let bits = Float16(scale).bitPattern
                bytes[b * type.bytesPerBlock + offset] = UInt8(bits & 0xff)
                bytes[b * type.bytesPerBlock + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    private func check(_ type: GGMLType, bytes: [UInt8], rows: Int, columns: Int, x: [Float],
                       file: StaticString = #filePath, line: UInt = #line) {
        let kernel = RowDot.fastKernel(for: type)!
        let rowBytes = type.rowBytes(columns)
        var sums = [Float](repeating: 0, count: columns / 32)
        x.withUnsafeBufferPointer { xp in
            sums.withUnsafeMutableBufferPointer { RowDot.blockSums(xp.baseAddress!, count: columns, into: $0.baseAddress!) }
            bytes.withUnsafeBytes { raw in
                for r in 0..<rows {
                    let row = raw.baseAddress! + r * rowBytes
                    let got = sums.withUnsafeBufferPointer { kernel(row, xp.baseAddress!, $0.baseAddress!, columns) }
                    let w = type.dequantize(row, count: columns)
                    let exact = zip(w, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                    let magnitude = zip(w, x).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                    XCTAssertLessThanOrEqual(abs(Double(got) - exact), Self.relativeTolerance * magnitude + 1e-30,
                                             "\(type.name) row \(r) of \(columns): \(got) vs \(exact)",
                                             file: file, line: line)
                }
            }
        }
    }
}
