import Foundation

// MARK: - AdaptivePairing: judge next where it tells us most

/// A comparison the judging run could make next: two models on one item. `Item` is the caller's identity
/// of the comparison (an item id, or a typed key of the outputs compared), handed back as given.
public struct CandidatePair<Item: Hashable & Sendable>: Hashable, Sendable {
    public var modelA: String
    public var modelB: String
    public var item: Item
    public init(modelA: String, modelB: String, item: Item) { self.modelA = modelA; self.modelB = modelB; self.item = item }
}

extension CandidatePair: Codable where Item: Codable {}

/// Chooses the next comparisons where they reduce rating uncertainty most, so that far fewer judge
/// calls reach the same ranking as a full round robin.
///
/// **Method.** Fit Bradley-Terry (with the usual prior) to the comparisons so far; take the Laplace
/// approximation of the posterior, covariance Σ = H⁻¹ (H the Hessian of the negative log-posterior).
/// For a pair (i, j) let d = θᵢ − θⱼ, v = Var(d) = Σᵢᵢ + Σⱼⱼ − 2Σᵢⱼ and w = p(1 − p) the Fisher
/// information of one more comparison (p = σ(d)). One comparison shrinks v to v / (1 + w·v); the
/// score is that reduction weighted by how unsure the order still is,
///
///     score(i, j) = Φ(−|d| / √v) · w·v² / (1 + w·v) · (1 + topBoost if i or j is in the current top topK + 1),
///
/// so effort goes to close pairs that are still uncertain, and most of all to the pairs that decide
/// the top places. A batch is chosen greedily: after each pick Σ is updated as if the comparison had
/// been made (Sherman–Morrison: Σ ← Σ − w·ΣeeᵀΣ / (1 + w·eᵀΣe), e = eᵢ − eⱼ), which spreads a batch
/// over different pairs. (Expected-variance-reduction designs: Chaloner & Verdinelli 1995;
/// pairwise active ranking in the same spirit: Chen et al., "Pairwise ranking aggregation in a
/// crowdsourced setting", WSDM 2013.)
///
/// For a pair chosen k times the first k of its candidates (in the caller's order) are returned,
/// so the caller decides which items come first (e.g. shuffled once, seeded).
///
/// ```swift
/// let pairing = AdaptivePairing()
/// var batch = pairing.nextBatch(comparisons: soFar, candidates: unjudged, batchSize: 16)
/// ```
/// Wiring for `judge compare --pairs adaptive --budget N`: loop { candidates = every (pair, item)
/// not judged yet; batch = nextBatch(…, batchSize: min(concurrency, budget − done)); judge the
/// batch; append its verdicts as `Comparison`s } until the budget is spent or no candidate is left.
/// - Complexity: one Bradley-Terry fit and one p × p inverse per call, then O(candidate pairs + p²)
///   per pick.
public struct AdaptivePairing: Sendable {
    /// Prior, tie model and decisive-win weight of the fit (length control and bootstrap are not used).
    public var options: RatingOptions
    /// How many top places matter most (the leaderboard's podium).
    public var topK: Int
    /// Extra weight of pairs that involve a model currently in the top topK + 1.
    public var topBoost: Double

    public init(options: RatingOptions = RatingOptions(), topK: Int = 3, topBoost: Double = 2) {
        var o = options
        o.control = nil
        o.bootstrapRounds = 0
        self.options = o
        self.topK = topK
        self.topBoost = topBoost
    }

    /// Up to `batchSize` candidates to judge next (fewer only when candidates run out).
    /// - Throws: `RankError` for invalid options or a self-comparison.
    public func nextBatch<Item>(comparisons: [Comparison], candidates: [CandidatePair<Item>],
                                batchSize: Int) throws -> [CandidatePair<Item>] {
        guard batchSize > 0, !candidates.isEmpty else { return [] }
        try options.validate()
        for c in candidates where c.modelA == c.modelB { throw RankError.selfComparison(model: c.modelA) }
        let design = try ComparisonDesign(comparisons, options: options,
                                          extraModels: candidates.flatMap { [$0.modelA, $0.modelB] })
        let likelihood = Likelihood(design: design, totals: design.cellTotals(groupCounts: design.groupCount),
                                    prior: options.prior)
        let x = try likelihood.fit().x
        let n = design.modelCount, p = design.parameterCount
        guard let full = Cholesky.inverse(likelihood.evaluate(x).hessian, size: p) else {
            throw RankError.notConverged(iterations: 0)
        }
        var sigma = [Double](repeating: 0, count: n * n)   // (n × n) posterior covariance of θ
        for i in 0..<n { for j in 0..<n { sigma[i * n + j] = full[i * p + j] } }

        // Candidates grouped by unordered model pair, in the caller's order.
        let index = Dictionary(uniqueKeysWithValues: design.models.enumerated().map { ($1, $0) })
        var pairOf: [Int: Int] = [:]             // i * n + j (i < j) → pair slot
        var pairs: [(i: Int, j: Int, queue: [CandidatePair<Item>])] = []
        for c in candidates {
            let a = index[c.modelA]!, b = index[c.modelB]!
            let key = min(a, b) * n + max(a, b)
            if let slot = pairOf[key] { pairs[slot].queue.append(c) } else {
                pairOf[key] = pairs.count
                pairs.append((min(a, b), max(a, b), [c]))
            }
        }

        // Current top places (by θ, ties by name).
        let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] > x[$1] : design.models[$0] < design.models[$1] }
        var isTop = [Bool](repeating: false, count: n)
        for k in order.prefix(topK + 1) { isTop[k] = true }

        var used = [Int](repeating: 0, count: pairs.count)
        var batch: [CandidatePair<Item>] = []
        while batch.count < batchSize {
            var best = -1, bestScore = -1.0
            for (slot, pair) in pairs.enumerated() where used[slot] < pair.queue.count {
                let (i, j) = (pair.i, pair.j)
                let d = x[i] - x[j]
                let v = max(sigma[i * n + i] + sigma[j * n + j] - 2 * sigma[i * n + j], 1e-12)
                let prob = sigmoid(d), w = prob * (1 - prob)
                var score = normalCDF(-abs(d) / v.squareRoot()) * w * v * v / (1 + w * v)
                if isTop[i] || isTop[j] { score *= 1 + topBoost }
                if score > bestScore { bestScore = score; best = slot }
            }
            guard best >= 0 else { break }
            batch.append(pairs[best].queue[used[best]])
            used[best] += 1
            // Sherman–Morrison: Σ ← Σ − w·(Σe)(Σe)ᵀ / (1 + w·eᵀΣe).
            let (i, j) = (pairs[best].i, pairs[best].j)
            let prob = sigmoid(x[i] - x[j]), w = prob * (1 - prob)
            let u = (0..<n).map { sigma[$0 * n + i] - sigma[$0 * n + j] }   // (n) Σe
            let factor = w / (1 + w * (u[i] - u[j]))
            for r in 0..<n { for c in 0..<n { sigma[r * n + c] -= factor * u[r] * u[c] } }
        }
        return batch
    }
}

/// Φ, the standard normal CDF.
@inline(__always) func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
