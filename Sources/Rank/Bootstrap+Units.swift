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

    /// ``unitInterval(units:rounds:seed:confidence:statistic:)`` for units of a few kinds, where the statistic
    /// reads only how many units of each kind were drawn, `(kinds)`: `kindOfUnit[u]` is unit u's kind.
    ///
    /// Drawing the units with replacement and counting them per kind is a multinomial draw over the kinds'
    /// sizes, so above 16 units a kind each round draws that multinomial directly (as the ratings'
    /// bootstrap does): O(kinds) a round instead of O(units) — the same distribution, for half a million
    /// pairs as for a hundred. At or below it each round draws unit by unit, exactly as
    /// ``unitInterval(units:rounds:seed:confidence:statistic:)`` does, so small inputs give the same numbers.
    static func kindInterval(kindOfUnit: [Int], kinds: Int, rounds: Int, seed: UInt64, confidence: Double,
                             statistic: ([Int]) -> Double?) -> (Double, Double)? {
        let units = kindOfUnit.count
        guard units > 0, kinds > 0, rounds > 0 else { return nil }
        var counts = [Int](repeating: 0, count: kinds)   // (kinds) units of each kind drawn this round
        if units <= 16 * kinds {
            return unitInterval(units: units, rounds: rounds, seed: seed, confidence: confidence) { weights in
                for k in 0..<kinds { counts[k] = 0 }
                for (u, w) in weights.enumerated() where w > 0 { counts[kindOfUnit[u]] += w }
                return statistic(counts)
            }
        }
        var sizes = [Double](repeating: 0, count: kinds)   // (kinds) units of each kind
        for k in kindOfUnit { sizes[k] += 1 }
        var draw = [Double](repeating: 0, count: kinds)   // (kinds) the multinomial draw
        var values: [Double] = []
        for round in 0..<rounds {
            var rng = SeededGenerator(seed: seed, stream: UInt64(round))
            sizes.withUnsafeBufferPointer { w in draw.withUnsafeMutableBufferPointer { rng.multinomial(units, weights: w, into: $0) } }
            for k in 0..<kinds { counts[k] = Int(draw[k]) }
            if let x = statistic(counts), x.isFinite { values.append(x) }
        }
        return values.isEmpty ? nil : interval(values, confidence: confidence)
    }
}
