import Foundation

// MARK: - Binomial and multinomial draws

extension SeededGenerator {
    /// A draw from Binomial(`n`, `p`): the number of successes in `n` trials of probability `p`.
    ///
    /// Inversion (a search of the CDF) when n·min(p, 1−p) < 10, otherwise BTRS — transformed rejection with a squeeze
    /// (Hörmann, "The generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993) —
    /// so a draw costs O(1) expected uniforms whatever `n`.
    /// - Complexity: O(n·p) for small means, O(1) expected otherwise.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        precondition(n >= 0 && p >= 0 && p <= 1, "binomial(\(n), \(p))")
        if n == 0 || p == 0 { return 0 }
        if p == 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        return Double(n) * p < 10 ? binomialInversion(n, p) : binomialBTRS(n, p)
    }

    /// Counts of a multinomial draw of `total` items over categories of the given (unnormalized,
    /// non-negative) `weights`, written to `counts` (same length): the conditional-binomial method
    /// (Davis, "The computer generation of multinomial random variates", CSDA 16, 1993).
    /// - Complexity: O(categories) binomial draws, independent of `total`.
    public mutating func multinomial(_ total: Int, weights: UnsafeBufferPointer<Double>,
                                     into counts: UnsafeMutableBufferPointer<Double>) {
        precondition(weights.count == counts.count)
        var left = total
        var mass = 0.0
        for w in weights { mass += w }
        for k in weights.indices {
            let w = weights[k]
            if left == 0 || w <= 0 { counts[k] = 0; mass -= w; continue }
            let draw = mass <= w ? left : binomial(left, min(1, w / mass))
            counts[k] = Double(draw)
            left -= draw
            mass -= w
        }
        // Rounding in `mass` can leave a remainder after the last positive weight: give it to it.
        if left > 0, let last = weights.indices.last(where: { weights[$0] > 0 }) { counts[last] += Double(left) }
    }

    // MARK: Small means: inversion

    /// Sequential search of the CDF from k = 0 (Kachitvichyanukul & Schmeiser's BINV, CACM 31,
    /// 1988): one uniform, one `exp`, and O(n·p) multiplications by the pmf ratio
    /// f(k+1)/f(k) = (n−k)/(k+1) · p/q.
    private mutating func binomialInversion(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p, ratio = p / q
        let f0 = exp(Double(n) * log1p(-p))            // q^n ≥ e^−20 here (n·p < 10, p ≤ ½)
        while true {
            var u = uniform(), f = f0, k = 0
            while u > f {
                u -= f
                if k >= n { break }                     // rounding left u above the total: redraw
                f *= Double(n - k) / Double(k + 1) * ratio
                k += 1
            }
            if u <= f { return k }
        }
    }

    // MARK: Large means: BTRS

    private mutating func binomialBTRS(_ n: Int, _ p: Double) -> Int {
        let nd = Double(n)
        let spq = (nd * p * (1 - p)).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = log(p / (1 - p))
        let m = ((nd + 1) * p).rounded(.down)
        let h = Self.logFactorial(m) + Self.logFactorial(nd - m)
        while true {
            let u = uniform() - 0.5
            var v = uniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            if k < 0 || k > nd { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            v = log(v * alpha / (a / (us * us) + b))
            if v <= h - Self.logFactorial(k) - Self.logFactorial(nd - k) + (k - m) * lpq { return Int(k) }
        }
    }

    /// log(k!) for a whole number k ≥ 0.
    @inline(__always) static func logFactorial(_ k: Double) -> Double { lgamma(k + 1) }
}
