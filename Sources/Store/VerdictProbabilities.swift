import Foundation

/// What a judge's log-probabilities said at its one-token verdict (the `logprobs` verdict mode).
///
/// The judge was asked to answer `A`, `B` or `tie`; at that position the probabilities of every variant
/// of each answer among its top alternatives (`A`, ` A`, `a`, …) are summed, then renormalized over the
/// three, so `a + b + tie == 1`. ``mass`` keeps the share the judge gave those tokens before
/// renormalizing: a judge that mostly wanted to say something else (low mass) was not really answering.
///
/// All figures are in *presented* terms, like ``JudgmentRecord/verdict``: `a` is the answer shown first.
/// Stored as JSON in `judgment.verdict_probabilities`.
public struct VerdictProbabilities: Codable, Sendable, Hashable {
    /// P(A better), P(B better) and P(tie), renormalized over the three.
    public var a: Double
    public var b: Double
    public var tie: Double
    /// The judge's total probability on the verdict tokens before renormalizing (0…1].
    public var mass: Double
    /// How many alternatives the judge reported at the verdict position (`top_logprobs`).
    public var topCount: Int

    public init(a: Double, b: Double, tie: Double, mass: Double, topCount: Int) {
        self.a = a
        self.b = b
        self.tie = tie
        self.mass = mass
        self.topCount = topCount
    }

    /// The expected score of answer A under the judge's distribution (a tie counts half, as in
    /// ``Verdict/scoreA``): the preference figure AlpacaEval reports, with ties.
    public var preferenceA: Double { a + tie / 2 }

    /// The most probable of the three, as a ``Verdict``; an exact tie between A and B is a tie.
    public var verdict: Verdict {
        if tie >= a && tie >= b { return .tie }
        if a > b { return .aBetter }
        if b > a { return .bBetter }
        return .tie
    }

    /// True when the three are probabilities summing to 1 and `mass` is in (0, 1] (up to rounding).
    public var isWellFormed: Bool {
        let parts = [a, b, tie]
        return parts.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 } && abs(parts.reduce(0, +) - 1) < 1e-9
            && mass.isFinite && mass > 0 && mass <= 1 + 1e-9 && topCount >= 1
    }
}
