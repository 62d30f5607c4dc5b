import Foundation

// MARK: - The status rule

extension JudgeReliability {
    /// The thresholds of the status rule.
    ///
    /// **Unreliable** — the verdicts are explained by position alone, or there is nothing to judge by:
    /// 1. no call gave a verdict; or more than `maximumUnparsed` (50 %) of the replies held none (the
    ///    judge does not follow the verdict format, and the few verdicts that parse are a selection);
    /// 2. no pair was judged in both orders: position cannot be told apart from content;
    /// 3. every verdict in both orders is a tie: the judge tells no answer from another;
    /// 4. consistency beyond position is below `minimumBeyondPosition` (0.1), or the orders' agreement
    ///    is not shown to exceed what position alone predicts: the one-sided exact binomial test of
    ///    "agreements ≤ chance consistency" has p ≥ `significance` (an exact test, because a percentile
    ///    bootstrap over a handful of pairs gives intervals far narrower than the truth; the chance
    ///    consistency is taken as known, estimated from the same verdicts). The demo's SmolLM2 judge
    ///    (the first answer wins every decisive verdict, the orders never agree) scores exactly 0.
    ///
    /// **Biased** — not unreliable, but a clear bias, i.e. both practically large (outside the band)
    /// and statistically clear (p < `significance` in the exact binomial test, or an interval that
    /// excludes 0):
    /// - the first answer wins outside `firstPositionBand` (40–60 %) of decisive verdicts;
    /// - for logprob judges, swapping the order moves P(first answer better) by more than
    ///   `maximumShift` (0.2) on average — the same band: a shift of s puts a neutral pair at ½ ± s/2;
    /// - the longer answer wins outside `longerAnswerBand` (30–70 %) of decisive verdicts.
    ///
    /// **Reliable** — otherwise.
    ///
    /// **Anchors.** MT-Bench (Zheng et al. 2023, table 2) measured GPT-4's consistency under a swap at
    /// 65.0 % (30.0 % of pairs biased to the first position, 5.0 % to the second); GPT-3.5 at 46.2 %
    /// (50.0 % / 1.2 %); Claude-v1 at 23.8 % (75.0 % / 0 %). With one tie in twenty verdicts these give
    /// consistency beyond position ≈ 0.39, 0.23 and 0.08: GPT-4 clears the 0.1 bar with room, and
    /// Claude-v1, whose verdicts the paper found mostly explained by position, does not. FastChat's
    /// GPT-4 figures — the longer answer wins 68 %, the first position 52.6 % — sit inside both bands:
    /// longer answers are often better (human voters prefer them too), so only a preference beyond
    /// GPT-4's is called a length bias, and a first-position share within ten points of even is noise
    /// next to the consistency a swap already buys back.
    public enum Threshold {
        public static let minimumBeyondPosition = 0.1
        public static let maximumUnparsed = 0.5
        public static let firstPositionBand = 0.4...0.6
        public static let longerAnswerBand = 0.3...0.7
        public static let maximumShift = 0.2
        public static let significance = 0.05
    }

    /// The status and its reasons, most important first.
    func assess() -> (Status, [String]) {
        // Unreliable.
        if verdicts == 0 {
            return (.unreliable, ["no judge call returned a verdict"])
        }
        if let u = unparsed, u.value > Threshold.maximumUnparsed {
            return (.unreliable, ["\(Self.percent(u.value)) of the judge's replies held no verdict: it does not follow the verdict format"])
        }
        guard bothOrderPairs > 0 else {
            return (.unreliable, ["no pair was judged in both orders, so its verdicts cannot be told apart from position (judge with both_orders: true)"])
        }
        guard let beyond = consistencyBeyondPosition else {
            return (.unreliable, ["every verdict in both orders is a tie: the judge tells no answer from another"])
        }
        let shown = (positionOnlyPValue ?? 1) < Threshold.significance
        if beyond.value < Threshold.minimumBeyondPosition || !shown {
            let few = beyond.value >= Threshold.minimumBeyondPosition
            let why = few
                ? "too few pairs (\(bothOrderPairs)) judged in both orders to show that its verdicts follow the answers rather than their positions: "
                : "its verdicts follow the answers' positions, not their content: "
            var reason = why + describeConsistency()
            if !few, let f = firstPosition { reason += "; the first answer wins \(Self.percent(f.value)) of decisive verdicts" }
            return (.unreliable, [reason])
        }

        // Biased.
        var reasons: [String] = []
        if let f = firstPosition, !Threshold.firstPositionBand.contains(f.value), f.pValue < Threshold.significance {
            reasons.append("the first answer wins \(Self.percent(f.value)) of decisive verdicts "
                + "(\(interval(f.ciLow, f.ciHigh)); binomial test against 50%: p = \(Self.pValue(f.pValue)))")
        }
        if let s = positionShift, abs(s.value) > Threshold.maximumShift, s.ciLow > 0 || s.ciHigh < 0 {
            reasons.append("swapping the order moves P(first answer better) by \(Self.signed(s.value)) on average "
                + "(\(interval(s.ciLow, s.ciHigh, percent: false)))")
        }
        if let l = longerAnswerWins, !Threshold.longerAnswerBand.contains(l.value), l.pValue < Threshold.significance {
            reasons.append("the longer answer wins \(Self.percent(l.value)) of decisive verdicts (\(interval(l.ciLow, l.ciHigh)))")
        }
        return (reasons.isEmpty ? .reliable : .biased, reasons)
    }

    /// "the two orders agree on 65% of pairs where position alone predicts 42% (beyond position 0.39, 95%: 0.31 to 0.47)".
    func describeConsistency() -> String {
        guard let agreement = positionConsistency else { return "no pair has verdicts in both orders" }
        var text = "the two orders agree on \(Self.percent(agreement.value)) of \(agreement.trials) pairs"
        if let chance = chanceConsistency {
            text += ", where position alone predicts \(Self.percent(chance))"
            if let p = positionOnlyPValue { text += " (p = \(Self.pValue(p)))" }
        }
        if let b = consistencyBeyondPosition {
            text += " (consistency beyond position \(Self.number(b.value)), \(interval(b.ciLow, b.ciHigh, percent: false)))"
        }
        return text
    }

    /// The plain sentence a report or command opens with when the judge is unreliable; nil otherwise.
    public var warning: String? {
        guard status == .unreliable else { return nil }
        return "The judge is unreliable — \(reasons.first ?? "its verdicts are explained by position alone"). "
            + "Do not act on this ranking: use a stronger judge."
    }

    // MARK: Formatting

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
    static func number(_ x: Double) -> String { String(format: "%.2f", x) }
    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + String(format: "%.2f", x) }
    static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : String(format: "%.4f", p) }
    func interval(_ low: Double, _ high: Double, percent: Bool = true) -> String { Self.interval(low, high, percent: percent, confidence: confidence) }
    static func interval(_ low: Double, _ high: Double, percent: Bool = true, confidence: Double = 0.95) -> String {
        let f: (Double) -> String = percent ? Self.percent : Self.number
        return "\(Int((confidence * 100).rounded()))%: \(f(low)) to \(f(high))"
    }
}
