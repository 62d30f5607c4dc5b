import XCTest
@testable import LocalInference

/// `WeightMatrix.multiply(batch:)` (the small-batch tile kernels and the generic row-at-a-time path)
/// against the scalar reference, for every supported type, batch sizes that exercise full and partial
/// tiles of eight and four, and column counts that split into uneven panels.
final class BatchDotTests: XCTestCase {
    /// Named tolerance: fp32 sums in another order, and weights computed as one fused `q·d + m`;
    /// 1e-5 of Σ|w x| bounds both for rows of a few thousand weights.
    static let relativeTolerance = 1e-5

    func testBatchedProductsMatchTheReference() {
        var rng = SplitMix64(seed: 16)
        for columns in [256, 1280, 4608] {
            for type in GGMLType.supported where columns % type.blockSize == 0 {
                let rows = 19
                let bytes = SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
                for batch in [1, 2, 3, 5, 8, 9, 16, 17] where columns < 4608 || batch == 17 {
                    let x = (0..<(batch * columns)).map { i in i % 97 == 0 ? 30 * rng.normal() : rng.normal() }
                    check(type, bytes: bytes, rows: rows, columns: columns, batch: batch, x: x)
                }
            }
        }
    }

    private func check(_ type: GGMLType, bytes: [UInt8], rows: Int, columns: Int, batch: Int, x: [Float]) {
        var y = [Float](repeating: .nan, count: batch * rows)   // (batch, rows)
        bytes.withUnsafeBytes { raw in
            let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { matrix.multiply(batch: batch, xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
            }
            for r in 0..<rows {
                let w = type.dequantize(raw.baseAddress! + r * type.rowBytes(columns), count: columns)
                for s in 0..<batch {
                    // The integer kernels' types multiply x quantized to 8 bits per block (bounded in Int8DotTests).
                    let slice = Array(x[(s * columns)..<((s + 1) * columns)])
                    let xs = Int8Dot.handles(type) ? ReferenceLlama.quantizedActivations(slice, blocksPerScale: Int8Dot.blocksPerScale(type)) : slice
                    let exact = zip(w, xs).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                    let magnitude = zip(w, xs).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                    XCTAssertLessThanOrEqual(abs(Double(y[s * rows + r]) - exact), Self.relativeTolerance * magnitude,
                                             "\(type.name) \(columns) columns, batch \(batch), sequence \(s), row \(r)")
                }
            }
        }
    }
}
