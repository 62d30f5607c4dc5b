import Foundation
import XCTest
@testable import Rank

/// The binomial and multinomial draws behind the bootstrap: exact edge cases, the exact pmf in
/// both regimes (inversion and BTRS), moments at the sizes the report meets, and sums.
final class BinomialTests: XCTestCase {
    func testEdgeCasesAreExact() {
        var g = SeededGenerator(seed: 1)
        XCTAssertEqual(g.binomial(0, 0.3), 0)
        XCTAssertEqual(g.binomial(50, 0), 0)
        XCTAssertEqual(g.binomial(50, 1), 50)
        for _ in 0..<1_000 { XCTAssert((0...3).contains(g.binomial(3, 0.5))) }
    }

    /// χ² goodness of fit against the exact pmf, cells with expectation < 5 pooled into the tails.
    func chiSquare(n: Int, p: Double, draws: Int, seed: UInt64) -> (statistic: Double, degrees: Int) {
        var g = SeededGenerator(seed: seed)
        var observed = [Double](repeating: 0, count: n + 1)
        for _ in 0..<draws {
            let k = g.binomial(n, p)
            XCTAssert((0...n).contains(k), "draw \(k) outside 0...\(n)")
            observed[k] += 1
        }
        let pmf: [Double] = (0...n).map { k in
            let kd = Double(k), nd = Double(n)
            let logChoose: Double = lgamma(nd + 1) - lgamma(kd + 1) - lgamma(nd - kd + 1)
            let logTerms: Double = kd * log(p) + (nd - kd) * log1p(-p)
            return exp(logChoose + logTerms)
        }
        var cells: [(o: Double, e: Double)] = []
        var pending = (o: 0.0, e: 0.0)
        for k in 0...n {
            pending.o += observed[k]; pending.e += pmf[k] * Double(draws)
            if pending.e >= 5 { cells.append(pending); pending = (0, 0) }
        }
        if pending.e > 0 { cells[cells.count - 1].o += pending.o; cells[cells.count - 1].e += pending.e }
        let statistic = cells.reduce(0) { $0 + ($1.o - $1.e) * ($1.o - $1.e) / $1.e }
        return (statistic, cells.count - 1)
    }

    func testMatchesTheExactDistributionInBothRegimes() {
        // (n, p): inversion (n·p < 10), BTRS (n·p ≥ 10), and p > ½ (drawn as n − Binomial(n, 1 − p)).
        for (n, p) in [(30, 0.1), (200, 0.02), (40, 0.35), (300, 0.5), (1_000, 0.07), (60, 0.8)] {
            let (statistic, degrees) = chiSquare(n: n, p: p, draws: 100_000, seed: UInt64(n))
            // The 0.9999 quantile of χ²(d) is below d + 8.5·√(2d) + 12 for d ≤ 200 (Wilson–Hilferty).
            let bound = Double(degrees) + 8.5 * Double(2 * degrees).squareRoot() + 12
            XCTAssertLessThan(statistic, bound, "Binomial(\(n), \(p)): χ² \(statistic) on \(degrees) df")
        }
    }

    func testMomentsAtBootstrapSizes() {
        var g = SeededGenerator(seed: 5)
        for (n, p) in [(500_000, 0.3), (500_000, 2e-5), (9_000, 0.011)] {
            let draws = (0..<20_000).map { _ in Double(g.binomial(n, p)) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
            let expectedVariance = Double(n) * p * (1 - p)
            XCTAssertEqual(mean, Double(n) * p, accuracy: 6 * (expectedVariance / Double(draws.count)).squareRoot())
            XCTAssertEqual(variance / expectedVariance, 1, accuracy: 0.06)
        }
    }

    func testMultinomialSumsToTheTotalAndFollowsTheWeights() {
        var g = SeededGenerator(seed: 11)
        let weights: [Double] = [120, 0, 3, 40_000, 77, 0, 1]
        let total = 40_201
        var sums = [Double](repeating: 0, count: weights.count)
        var counts = [Double](repeating: -1, count: weights.count)
        let rounds = 4_000
        for _ in 0..<rounds {
            weights.withUnsafeBufferPointer { w in counts.withUnsafeMutableBufferPointer { g.multinomial(total, weights: w, into: $0) } }
            XCTAssertEqual(counts.reduce(0, +), Double(total))
            XCTAssertEqual(counts[1], 0); XCTAssertEqual(counts[5], 0)
            for k in counts.indices { sums[k] += counts[k] }
        }
        for k in weights.indices where weights[k] > 0 {
            let q = weights[k] / Double(total)
            let se = (Double(total) * q * (1 - q) / Double(rounds)).squareRoot()
            XCTAssertEqual(sums[k] / Double(rounds), Double(total) * q, accuracy: 6 * se + 1e-9, "category \(k)")
        }
    }
}
