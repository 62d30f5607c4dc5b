import Foundation
import XCTest
@testable import LocalInference

/// `exponential`, the eight-lane e^x of SwiGLU and attention, against the exact value in doubles.
final class ExponentialTests: XCTestCase {
    /// Within 2 ulp over the whole range it promises, in every lane.
    func testWithinTwoUlpOverItsRange() {
        var worst = 0.0
        var x: Float = -87.3
        while x <= 88.3 {
            var v = SIMD8<Float>()
            for k in 0..<8 { v[k] = x + Float(k) * 1e-4 }
            let y = exponential(v)
            for k in 0..<8 {
                let exact = exp(Double(v[k]))
                let ulp = Double(Float(exact).ulp)
                worst = max(worst, abs(Double(y[k]) - exact) / ulp)
            }
            x += 0.0137
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp")
    }

    /// Exact where the reduction leaves nothing to round: e^0 = 1.
    func testZero() {
        XCTAssertEqual(exponential(SIMD8(repeating: 0)), SIMD8(repeating: 1))
    }

    /// Out of range: clamped to finite, positive values, never infinity, NaN or a wrapped exponent.
    func testClampsOutsideItsRange() {
        let y = exponential(SIMD8(-1e4, -100, -88, 88.5, 89, 100, 1e4, .infinity))
        for k in 0..<8 { XCTAssertTrue(y[k].isFinite && y[k] > 0, "lane \(k): \(y[k])") }
        XCTAssertLessThan(y[0], 1.3e-38)   // e^−87.3
        XCTAssertGreaterThan(y[7], 2e38)
        XCTAssertEqual(exponential(SIMD8(repeating: -.infinity))[0], y[0])
    }
}
