import Foundation
@testable import Rank

/// Seeded Bradley-Terry simulations for tests: deterministic on every machine.
enum Simulation {
    /// `count` comparisons of random pairs of `strengths` (log-strengths), with ties at `tieRate`.
    static func battles(_ strengths: [String: Double], count: Int, task: String? = nil, tieRate: Double = 0.1,
                        seed: UInt64) -> [Comparison] {
        let models = strengths.keys.sorted()
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let i = rng.below(models.count)
            var j = rng.below(models.count - 1)
            if j >= i { j += 1 }
            return compare(models[i], models[j], strengths, tieRate: tieRate, task: task, rng: &rng)
        }
    }

    static func compare(_ a: String, _ b: String, _ strengths: [String: Double], tieRate: Double = 0.1,
                        task: String? = nil, rng: inout SeededGenerator) -> Comparison {
        let p = 1 / (1 + exp(-(strengths[a]! - strengths[b]!)))
        let outcome: Outcome = rng.uniform() < tieRate ? .tie : (rng.uniform() < p ? .aBetter : .bBetter)
        return Comparison(modelA: a, modelB: b, outcome: outcome, task: task)
    }
}
