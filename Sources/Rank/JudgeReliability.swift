import Foundation

// MARK: - JudgeReliability: can this judge configuration's verdicts be trusted?

/// The reliability figures of one judge configuration, and the status they add up to
/// (**reliable**, **biased** or **unreliable**; the rule and its thresholds are in
/// `JudgeReliability+Status.swift`).
///
/// The figures, each with a 95 % interval:
/// - **position consistency** — the share of pairs judged in both orders whose two verdicts name
///   the same winner or both a tie (MT-Bench's consistency under a position swap, Zheng et al. 2023,
///   "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena", table 2);
/// - **chance consistency** — the consistency that position alone predicts: a judge whose verdict
///   depends only on where an answer stands draws each order's verdict from the same presented
///   distribution (first f, second s, tie t), so its orders agree with probability 2fs + t²;
/// - **consistency beyond position** — (consistency − chance) / (1 − chance): Cohen's κ-style
///   agreement of the two orders over what position predicts. 0 for a judge that only reads position,
///   1 for one whose verdict never moves with the order; undefined when every verdict is a tie;
/// - **first position** — the share of decisive verdicts won by the answer shown first, with an exact
///   binomial test against 50 %;
/// - **longer answer** — the share of decisive verdicts (answers of different lengths) won by the
///   longer answer;
/// - **unparsed** and **failed** — shares of the calls;
/// - for logprob judges, the **position shift** — the mean change in P(first answer better) when the
///   order is swapped (``OrderedVerdicts``), 0 for a position-free judge.
///
/// Intervals of proportions are Wilson's; those of consistency beyond position and of the shift come
/// from a bootstrap over pairs (percentile, `bootstrapRounds` rounds, `seed`).
///
/// ```swift
/// let r = JudgeReliability(pairs, calls: JudgeCalls(calls: 400, unparsed: 0, failed: 0))
/// print(r.status, r.summary)   // unreliable unreliable: its verdicts follow the answers' positions …
/// ```
public struct JudgeReliability: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The verdicts carry signal beyond position, and no clear bias shows.
        case reliable
        /// A clear position or length bias, but the two orders still carry signal.
        case biased
        /// The verdicts are explained by position alone (or there are none to judge by).
        case unreliable
    }

    public var status: Status
    /// One line: the status and its main reason.
    public var summary: String
    /// Every reason behind the status, most important first (empty when reliable).
    public var reasons: [String]

    public var calls: Int
    /// Verdicts among the pairs (each order's counts once).
    public var verdicts: Int
    public var unparsed: Proportion?
    public var failed: Proportion?
    /// Pairs with a verdict in both orders.
    public var bothOrderPairs: Int
    public var positionConsistency: Proportion?
    public var chanceConsistency: Double?
    /// One-sided exact binomial test of "the orders agree no more often than position alone predicts":
    /// P(at least the observed agreements | both-order pairs, chance consistency).
    public var positionOnlyPValue: Double?
    public var consistencyBeyondPosition: IntervalEstimate?
    public var firstPosition: Proportion?
    public var longerAnswerWins: Proportion?
    /// Pairs with a logprob preference in both orders (0 for text judges).
    public var logprobPairs: Int
    public var positionShift: IntervalEstimate?
    public var confidence: Double

    /// Measures `pairs` (one configuration's pairs, each with its verdict in each order judged) and
    /// the calls behind them.
    public init(_ pairs: [OrderedVerdicts], calls: JudgeCalls, bootstrapRounds: Int = 1000, seed: UInt64 = 1,
                confidence: Double = 0.95) {
        self.calls = calls.calls
        self.confidence = confidence
        unparsed = Proportion(successes: calls.unparsed, trials: calls.calls, confidence: confidence)
        failed = Proportion(successes: calls.failed, trials: calls.calls, confidence: confidence)

        verdicts = pairs.reduce(0) { $0 + ($1.aFirst == nil ? 0 : 1) + ($1.bFirst == nil ? 0 : 1) }

        // Per call: position and length.
        var first = 0, second = 0, longer = 0, withLengths = 0
        for pair in pairs {
            for (verdict, aShownFirst) in [(pair.aFirst, true), (pair.bFirst, false)] {
                guard let verdict, verdict != .tie else { continue }
                if verdict == .first { first += 1 } else { second += 1 }
                guard let la = pair.lengthA, let lb = pair.lengthB, la != lb else { continue }
                let aWon = (verdict == .first) == aShownFirst
                withLengths += 1
                if aWon == (la > lb) { longer += 1 }
            }
        }
        firstPosition = Proportion(successes: first, trials: first + second, confidence: confidence)
        longerAnswerWins = Proportion(successes: longer, trials: withLengths, confidence: confidence)

        // Per both-order pair: consistency, and what position alone predicts.
        let both = pairs.compactMap(Self.BothOrders.init)
        bothOrderPairs = both.count
        let agreements = both.filter(\.agree).count
        positionConsistency = Proportion(successes: agreements, trials: both.count, confidence: confidence)
        let all = [Int](repeating: 1, count: both.count)
        let chance = both.isEmpty ? nil : Self.chance(both, all)
        chanceConsistency = chance
        positionOnlyPValue = chance.map { Proportion.upperTail(agreements, both.count, $0) }
        consistencyBeyondPosition = Self.beyondPosition(both, all).map { kappa in
            // κ reads only weighted counts, so pairs of the same kind (at most 12) are one unit kind.
            var kindIndex: [BothOrders: Int] = [:]
            var kinds: [BothOrders] = []
            let kindOfPair = both.map { pair in
                if let k = kindIndex[pair] { return k }
                kindIndex[pair] = kinds.count
                kinds.append(pair)
                return kinds.count - 1
            }
            let ci = Bootstrap.kindInterval(kindOfUnit: kindOfPair, kinds: kinds.count, rounds: bootstrapRounds, seed: seed,
                                            confidence: confidence) { Self.beyondPosition(kinds, $0) } ?? (kappa, kappa)
            return IntervalEstimate(value: kappa, ciLow: ci.0, ciHigh: ci.1)
        }

        // Logprob judges: the mean shift.
        let shifts = pairs.compactMap(\.positionShift)
        logprobPairs = shifts.count
        positionShift = shifts.isEmpty ? nil : {
            let mean = shifts.reduce(0, +) / Double(shifts.count)
            let ci = Bootstrap.unitInterval(units: shifts.count, rounds: bootstrapRounds,
                                            seed: SplitMix64.mix(seed ^ 0x5348_4946_54), confidence: confidence) { w in   // "SHIFT"
                zip(shifts, w).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(shifts.count)
            } ?? (mean, mean)
            return IntervalEstimate(value: mean, ciLow: ci.0, ciHigh: ci.1)
        }()

        (status, reasons) = (.reliable, [])
        summary = ""
        (status, reasons) = assess()
        summary = status.rawValue + (reasons.first.map { ": " + $0 } ?? ": " + describeConsistency())
    }

    // MARK: - Consistency statistics (weights: how often each pair is counted; 1 each, or a bootstrap draw)

    struct BothOrders: Hashable {
        var agree: Bool
        var first: Int    // verdicts (of 2) for the answer shown first
        var second: Int
        var ties: Int
        init?(_ pair: OrderedVerdicts) {
            guard let x = pair.aFirst, let y = pair.bFirst, let agree = pair.ordersAgree else { return nil }
            self.agree = agree
            first = (x == .first ? 1 : 0) + (y == .first ? 1 : 0)
            second = (x == .second ? 1 : 0) + (y == .second ? 1 : 0)
            ties = 2 - first - second
        }
    }

    /// 2fs + t² over the pooled presented verdicts of the weighted pairs.
    static func chance(_ pairs: [BothOrders], _ weights: [Int]) -> Double {
        var f = 0, s = 0, t = 0
        for (p, w) in zip(pairs, weights) where w > 0 { f += w * p.first; s += w * p.second; t += w * p.ties }
        let n = Double(f + s + t)
        guard n > 0 else { return .nan }
        return 2 * (Double(f) / n) * (Double(s) / n) + (Double(t) / n) * (Double(t) / n)
    }

    /// (p_o − p_e) / (1 − p_e); nil when there are no pairs or p_e = 1 (every verdict a tie).
    static func beyondPosition(_ pairs: [BothOrders], _ weights: [Int]) -> Double? {
        var agree = 0, total = 0
        for (p, w) in zip(pairs, weights) { total += w; if p.agree { agree += w } }
        guard total > 0 else { return nil }
        let expected = chance(pairs, weights)
        guard expected < 1 - 1e-12 else { return nil }
        return (Double(agree) / Double(total) - expected) / (1 - expected)
    }

    enum CodingKeys: String, CodingKey {
        case status, summary, reasons, calls, verdicts, unparsed, failed, bothOrderPairs = "both_order_pairs"
        case positionConsistency = "position_consistency", chanceConsistency = "chance_consistency"
        case positionOnlyPValue = "position_only_p_value"
        case consistencyBeyondPosition = "consistency_beyond_position", firstPosition = "first_position"
        case longerAnswerWins = "longer_answer_wins", logprobPairs = "logprob_pairs", positionShift = "position_shift"
        case confidence
    }
}
