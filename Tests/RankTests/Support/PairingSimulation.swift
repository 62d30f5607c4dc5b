import Foundation
@testable import Rank

/// A seeded judging simulation: `models` models with known log-strengths, `items` items, and one
/// pre-drawn verdict for every (pair, item) — a fixed judge — so strategies differ only in which
/// comparisons they ask for.
struct PairingSimulation {
    let names: [String]
    let strengths: [Double]          // (models) true log-strengths, best first
    let items: Int
    let tieRate: Double
    /// Pre-drawn verdict of names[i] (as A) vs names[j] (as B), i < j, on each item: (pairs × items).
    private var verdicts: [Outcome]

    init(models: Int = 20, spacing: Double, items: Int, tieRate: Double = 0.1, seed: UInt64) {
        names = (0..<models).map { String(format: "model-%02d", $0) }
        strengths = (0..<models).map { spacing * Double(models - 1 - $0) }
        self.items = items
        self.tieRate = tieRate
        var rng = SeededGenerator(seed: seed, stream: 1)
        var v: [Outcome] = []
        for i in 0..<models { for j in (i + 1)..<models { for _ in 0..<items {
            let p = 1 / (1 + exp(-(strengths[i] - strengths[j])))
            v.append(rng.uniform() < tieRate ? .tie : (rng.uniform() < p ? .aBetter : .bBetter))
        } } }
        verdicts = v
    }

    var roundRobinSize: Int { names.count * (names.count - 1) / 2 * items }

    /// Every (pair, item), items shuffled per pair with a seeded generator.
    func allCandidates(seed: UInt64) -> [CandidatePair<String>] {
        var rng = SeededGenerator(seed: seed, stream: 2)
        var out: [CandidatePair<String>] = []
        for i in 0..<names.count { for j in (i + 1)..<names.count {
            var order = Array(0..<items)
            for k in stride(from: items - 1, to: 0, by: -1) { order.swapAt(k, rng.below(k + 1)) }
            out += order.map { CandidatePair(modelA: names[i], modelB: names[j], item: "item-\($0)") }
        } }
        return out
    }

    func judge(_ c: CandidatePair<String>) -> Comparison {
        let i = names.firstIndex(of: c.modelA)!, j = names.firstIndex(of: c.modelB)!
        let item = Int(c.item.dropFirst("item-".count))!
        let (lo, hi) = (min(i, j), max(i, j))
        let pairIndex = lo * (2 * names.count - lo - 1) / 2 + (hi - lo - 1)
        let outcome = verdicts[pairIndex * items + item]
        return Comparison(modelA: names[lo], modelB: names[hi], outcome: outcome)
    }

    struct Result {
        let comparisons: Int
        let tau: Double
        let topThreeFound: Bool
    }

    /// Scores a set of comparisons: Kendall's tau of the fitted order against the true order, and
    /// whether the fitted top 3 are the true top 3 in order.
    func evaluate(_ comparisons: [Comparison]) throws -> Result {
        let fit = try BradleyTerryFit(comparisons, options: RatingOptions())
        let fitted = names.map { fit.theta(of: $0) ?? 0 }
        let top = names.indices.sorted { fitted[$0] > fitted[$1] }.prefix(3)
        return Result(comparisons: comparisons.count, tau: RankCorrelation.kendallTau(fitted, strengths),
                      topThreeFound: Array(top) == [0, 1, 2])
    }

    func roundRobin() throws -> Result { try evaluate(allCandidates(seed: 0).map(judge)) }

    func random(budget: Int, seed: UInt64) throws -> Result {
        var all = allCandidates(seed: seed)
        var rng = SeededGenerator(seed: seed, stream: 3)
        for k in stride(from: all.count - 1, to: 0, by: -1) { all.swapAt(k, rng.below(k + 1)) }
        return try evaluate(all.prefix(budget).map(judge))
    }

    func adaptive(budget: Int, batchSize: Int, seed: UInt64, pairing: AdaptivePairing = AdaptivePairing()) throws -> Result {
        var remaining = allCandidates(seed: seed)
        var done: [Comparison] = []
        while done.count < budget, !remaining.isEmpty {
            let batch = try pairing.nextBatch(comparisons: done, candidates: remaining,
                                              batchSize: min(batchSize, budget - done.count))
            let chosen = Set(batch)
            remaining.removeAll { chosen.contains($0) }
            done += batch.map(judge)
        }
        return try evaluate(done)
    }
}
