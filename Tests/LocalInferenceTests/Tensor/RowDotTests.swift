import XCTest
@testable import LocalInference

/// The row-dot kernels and the threaded matrix-vector product against the scalar reference
/// (`dequantizeRow`, then a plain dot in double).
final class RowDotTests: XCTestCase {
    /// Named tolerance: kernels only reorder float sums; 1e-5 of Σ|w x| bounds that for 1024-long rows.
    static let relativeTolerance: Float = 1e-5

    func testEveryKernelMatchesTheReference() {
        for columns in [1024, 256 + 32, 1000, 7] {
            checkKernels(columns: columns)
        }
    }

    private func checkKernels(columns: Int) {
        var rng = SplitMix64(seed: 11)
        let rows = 37
        let x = (0..<columns).map { _ in rng.normal() }
        for type in GGMLType.supported where columns % type.blockSize == 0 {
            let bytes = SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
            let rowBytes = type.rowBytes(columns)
            var y = [Float](repeating: .nan, count: rows)
            bytes.withUnsafeBytes { raw in
                let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { matrix.multiply(xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
                }
                // The integer kernels' types multiply x as quantized to 8 bits per block (Int8DotTests
                // bounds that error): the reference takes the same input.
                let input = Int8Dot.handles(type) ? ReferenceLlama.quantizedActivations(x, blocksPerScale: Int8Dot.blocksPerScale(type)) : x
                for r in 0..<rows {
                    let w = type.dequantize(raw.baseAddress! + r * rowBytes, count: columns)
                    let exact = zip(w, input).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                    let magnitude = zip(w, input).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                    XCTAssertLessThanOrEqual(abs(Double(y[r]) - exact), Double(Self.relativeTolerance) * magnitude,
                                             "\(type.name) row \(r) of \(columns)")
                }
            }
        }
    }
}

final class HalfConversionTests: XCTestCase {
    /// Our fp16 → fp32 conversion equals the standard library's for all 65,536 bit patterns.
    func testEveryHalfBitPattern() {
        for bits in 0...UInt16.max {
            let want = Float(Float16(bitPattern: bits))
            let got = halfToFloat(bits)
            if want.isNaN {
                XCTAssertTrue(got.isNaN, "\(bits)")
            } else {
                XCTAssertEqual(got.bitPattern, want.bitPattern, "\(bits)")
            }
        }
    }
}
