// MARK: - RankCorrelation: do two rankings agree?

/// Kendall's tau-b and Spearman's rho of two paired samples, ties handled as scipy does
/// (`scipy.stats.kendalltau`, default variant "b"; `scipy.stats.spearmanr`, average ranks).
public enum RankCorrelation {
    /// Kendall's tau-b: (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)) (Kendall, 1945).
    /// NaN when either sample is constant. - Complexity: O(n²), fine for leaderboards.
    public static func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        var concordant = 0.0, discordant = 0.0, tiesX = 0.0, tiesY = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<max(i + 1, x.count) {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 { tiesX += 1; continue }
                if dy == 0 { tiesY += 1; continue }
                if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let denominator = ((concordant + discordant + tiesX) * (concordant + discordant + tiesY)).squareRoot()
        return denominator > 0 ? (concordant - discordant) / denominator : .nan
    }

    /// Spearman's rho: Pearson's correlation of the average ranks (Spearman, 1904).
    public static func spearmanRho(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// 1-based ranks, ties sharing their average rank.
    static func averageRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var k = 0
        while k < order.count {
            var end = k
            while end + 1 < order.count && v[order[end + 1]] == v[order[k]] { end += 1 }
            let average = Double(k + end) / 2 + 1
            for m in k...end { ranks[order[m]] = average }
            k = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for k in x.indices {
            sxy += (x[k] - mx) * (y[k] - my); sxx += (x[k] - mx) * (x[k] - mx); syy += (y[k] - my) * (y[k] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }
}
