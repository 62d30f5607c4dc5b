import Foundation

// MARK: - Bootstrap: percentile intervals from resampled comparisons

/// Nonparametric bootstrap of a Bradley-Terry fit (Efron & Tibshirani, *An Introduction to the
/// Bootstrap*, 1993, ch. 13): each round draws as many comparisons as there are, with
/// replacement, and refits.
///
/// Drawing N comparisons with replacement and counting them per deduplicated group is a
/// multinomial draw of N over the group counts, so each round draws that multinomial directly
/// (conditional binomials, `SeededGenerator.multinomial`): O(groups) per round, not O(N) — the
/// same distribution, whether there are 9,000 comparisons or 500,000. When the groups are small
/// (N ≤ 16 × groups) drawing the N comparisons one by one from an urn is the cheaper exact way
/// to the same multinomial (a few nanoseconds a draw against a binomial's ~50), so it does that.
///
/// Rounds run on all cores (`DispatchQueue.concurrentPerform`), each with its own random stream
/// `SeededGenerator(seed:stream: round)` and its own output slot, so the result is identical
/// for a given seed whatever the thread count or scheduling.
/// - Complexity: rounds × (min(N, 16·groups) + Newton fit over cells), divided by the cores.
enum Bootstrap {
    /// Fitted parameters per round: (rounds × parameterCount), row-major.
    static func parameters(design: ComparisonDesign, prior: Double, rounds: Int, seed: UInt64,
                           start: [Double]) throws -> [Double] {
        let p = design.parameterCount, n = design.comparisonCount, groups = design.groupCount.count
        var out = [Double](repeating: .nan, count: rounds * p)   // (rounds × p)
        guard rounds > 0 else { return out }
        // The urn for small groups: group index of each comparison, (N), in group order.
        let urn: [Int32]? = n <= 16 * groups
            ? design.groupCount.enumerated().flatMap { g, count in repeatElement(Int32(g), count: Int(count)) }
            : nil
        let failures = FailureBox()
        let chunk = 8
        let chunks = (rounds + chunk - 1) / chunk
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var counts = [Double](repeating: 0, count: groups)   // (groups) this round's draw
                for round in (c * chunk)..<min(rounds, (c + 1) * chunk) {
                    var rng = SeededGenerator(seed: seed, stream: UInt64(round))
                    if let urn {
                        for g in 0..<groups { counts[g] = 0 }
                        urn.withUnsafeBufferPointer { urn in
                            for _ in 0..<n { counts[Int(urn[rng.below(n)])] += 1 }
                        }
                    } else {
                        design.groupCount.withUnsafeBufferPointer { weights in
                            counts.withUnsafeMutableBufferPointer { rng.multinomial(n, weights: weights, into: $0) }
                        }
                    }
                    let totals = design.cellTotals(groupCounts: counts)
                    do {
                        let x = try Likelihood(design: design, totals: totals, prior: prior).fit(from: start).x
                        for k in 0..<p { base[round * p + k] = x[k] }
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        if let error = failures.first { throw error }
        return out
    }

    /// The q-quantile of `values` with linear interpolation between order statistics
    /// (Hyndman & Fan type 7, numpy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// (low, high) percentile interval of `values` at two-sided `confidence`.
    static func interval(_ values: [Double], confidence: Double) -> (Double, Double) {
        let sorted = values.sorted()
        let tail = (1 - confidence) / 2
        return (quantile(sorted, tail), quantile(sorted, 1 - tail))
    }
}

/// The first error thrown on any worker thread.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func record(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
    var first: Error? { lock.lock(); defer { lock.unlock() }; return error }
}
