import XCTest
@testable import Rank

final class SeededGeneratorTests: XCTestCase {
    func testStreamsAreReproducibleAndDistinct() {
        var a = SeededGenerator(seed: 42, stream: 3), b = SeededGenerator(seed: 42, stream: 3)
        var c = SeededGenerator(seed: 42, stream: 4), d = SeededGenerator(seed: 43, stream: 3)
        let xa = (0..<8).map { _ in a.next() }
        XCTAssertEqual(xa, (0..<8).map { _ in b.next() })
        XCTAssertNotEqual(xa, (0..<8).map { _ in c.next() })
        XCTAssertNotEqual(xa, (0..<8).map { _ in d.next() })
    }

    func testBelowIsUniform() {
        var g = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[g.below(7)] += 1 }
        // χ² with 6 degrees of freedom; 22.5 is the 0.999 quantile.
        let chi2 = counts.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
        XCTAssertLessThan(chi2, 22.5)
    }

    func testNormalHasUnitVariance() {
        var g = SeededGenerator(seed: 9)
        let xs = (0..<50_000).map { _ in g.normal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1, accuracy: 0.03)
    }
}
