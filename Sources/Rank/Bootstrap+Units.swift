// MARK: - Bootstrap over independent units (pairs, items)

extension Bootstrap {
    /// Percentile intervals of several statistics over `rounds` resamples of `units` independent
    /// units — the both-order pairs of a judge, the (item, pair) keys of an agreement — by the same
    /// nonparametric bootstrap as the ratings (Efron & Tibshirani 1993): each round draws `units`
    /// indices with replacement, from its own stream `SeededGenerator(seed:stream: round)`, and hands
    /// `statistics` how many times each unit was drawn, `(units)`; it returns one value per statistic.
    ///
    /// Rounds where a statistic is undefined (nil, or not finite: a κ whose chance agreement is 1)
    /// are left out of that statistic's interval; its interval is nil when every round is.
    /// - Complexity: rounds × (units + the statistics' cost).
    static func unitIntervals(units: Int, rounds: Int, seed: UInt64, confidence: Double,
                              statistics: ([Int]) -> [Double?]) -> [(Double, Double)?] {
        guard units > 0, rounds > 0 else { return [] }
        var values: [[Double]] = []   // (statistics) × (defined rounds)
        var weights = [Int](repeating: 0, count: units)   // (units) draws of each unit this round
        for round in 0..<rounds {
            var rng = SeededGenerator(seed: seed, stream: UInt64(round))
            for k in 0..<units { weights[k] = 0 }
            for _ in 0..<units { weights[rng.below(units)] += 1 }
            let v = statistics(weights)
            if values.isEmpty { values = Array(repeating: [], count: v.count) }
            for (k, x) in v.enumerated() { if let x, x.isFinite { values[k].append(x) } }
        }
        return values.map { $0.isEmpty ? nil : interval($0, confidence: confidence) }
    }

    /// ``unitIntervals(units:rounds:seed:confidence:statistics:)`` for one statistic.
    static func unitInterval(units: Int, rounds: Int, seed: UInt64, confidence: Double,
                             statistic: ([Int]) -> Double?) -> (Double, Double)? {
        unitIntervals(units: units, rounds: rounds, seed: seed, confidence: confidence) { [statistic($0)] }.first ?? nil
    }
}
