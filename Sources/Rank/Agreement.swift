import Foundation

// MARK: - Agreement: does a judge agree with humans, or with another judge?

/// One rater's verdict on one pair of models for one item: a judge configuration's comparison, or a
/// human vote (MT-Bench's human judgments, Chatbot Arena's battles).
public struct Vote: Hashable, Codable, Sendable {
    public var item: String
    public var modelA: String
    public var modelB: String
    /// Only the winner matters here (A, tie or B): graded and "both bad" verdicts fold into it.
    public var outcome: Outcome

    public init(item: String, modelA: String, modelB: String, outcome: Outcome) {
        self.item = item
        self.modelA = modelA
        self.modelB = modelB
        self.outcome = outcome
    }
}

/// How often two raters — a judge configuration and human voters, or two judge configurations —
/// name the same winner, measured as MT-Bench does (Zheng et al. 2023, §4.2; FastChat's
/// `compute_agreement.py`), with Cohen's κ and a confusion matrix, each with a bootstrap interval.
///
/// Votes are matched by (item, unordered model pair), oriented so that model A is the pair's first
/// name in sorted order (MT-Bench's orientation). Every vote of the first rater on a key meets every
/// vote of the second on it — several human voters on one pair each count, as in MT-Bench.
/// - **with ties**: the share of matched vote pairs naming the same winner, a tie matching a tie;
/// - **without ties**: the same after dropping every vote pair in which either side is a tie;
/// - **Cohen's κ** (Cohen 1960) over the three labels A, tie, B — scikit-learn's `cohen_kappa_score`;
/// - **confusion matrix**: vote-pair counts, rows the first rater's label, columns the second's,
///   each cell's share of all vote pairs with its interval.
///
/// Intervals resample the matched keys (the votes on one pair of one item stay together), percentile
/// bootstrap with `bootstrapRounds` rounds.
///
/// ```swift
/// let a = Agreement(first: judgeVotes, second: humanVotes)
/// print(a.withTies?.value, a.withoutTies?.value, a.kappa?.value)
/// ```
public struct Agreement: Codable, Equatable, Sendable {
    /// The labels of the confusion matrix, in its row and column order.
    public static let labels = ["A", "tie", "B"]

    /// A share of agreeing vote pairs, with its interval.
    public struct Rate: Codable, Equatable, Sendable {
        public var agreements: Int
        public var total: Int
        public var value: Double
        public var ciLow: Double
        public var ciHigh: Double
        enum CodingKeys: String, CodingKey { case agreements, total, value, ciLow = "ci_low", ciHigh = "ci_high" }
    }

    /// Keys (item, model pair) both raters voted on, and those only one did.
    public var matchedKeys: Int
    public var onlyFirst: Int
    public var onlySecond: Int
    /// Matched vote pairs (every first-rater vote × every second-rater vote on a key).
    public var votePairs: Int
    public var withTies: Rate?
    public var withoutTies: Rate?
    public var kappa: IntervalEstimate?
    /// `confusion[r][c]`: vote pairs where the first rater said `labels[r]` and the second `labels[c]`.
    public var confusion: [[Int]]
    /// Each cell's share of all vote pairs, with its interval; empty without matched votes.
    public var confusionShares: [[IntervalEstimate]]
    public var confidence: Double

    public init(first: [Vote], second: [Vote], bootstrapRounds: Int = 1000, seed: UInt64 = 1, confidence: Double = 0.95) {
        let a = Self.byKey(first), b = Self.byKey(second)
        let keys = Set(a.keys).intersection(b.keys).sorted { ($0.item, $0.low, $0.high) < ($1.item, $1.low, $1.high) }
        onlyFirst = a.count - keys.count
        onlySecond = b.count - keys.count
        matchedKeys = keys.count
        self.confidence = confidence
        // Per key: its 3 × 3 contribution, row-major.
        let cells: [[Int]] = keys.map { key in
            var m = [Int](repeating: 0, count: 9)
            for x in a[key]! { for y in b[key]! { m[x * 3 + y] += 1 } }
            return m
        }
        let all = [Int](repeating: 1, count: cells.count)
        let total = Self.sum(cells, all)
        confusion = (0..<3).map { r in (0..<3).map { c in total[r * 3 + c] } }
        votePairs = total.reduce(0, +)

        let statistics: ([Int]) -> [Double?] = { w in
            let m = Self.sum(cells, w)
            return [Self.withTies(m).map(\.rate), Self.withoutTies(m).map(\.rate), Self.kappa(m)]
                + (0..<9).map { k in Self.share(m, k) }
        }
        let point = statistics(all)
        let intervals = Bootstrap.unitIntervals(units: cells.count, rounds: bootstrapRounds, seed: seed,
                                                confidence: confidence, statistics: statistics)
        func interval(_ k: Int) -> (Double, Double)? {
            guard let v = point[k] else { return nil }
            return k < intervals.count ? (intervals[k] ?? (v, v)) : (v, v)
        }
        withTies = Self.withTies(total).map { Rate(agreements: $0.agree, total: $0.total, value: $0.rate,
                                                   ciLow: interval(0)!.0, ciHigh: interval(0)!.1) }
        withoutTies = Self.withoutTies(total).map { Rate(agreements: $0.agree, total: $0.total, value: $0.rate,
                                                         ciLow: interval(1)!.0, ciHigh: interval(1)!.1) }
        kappa = point[2].map { IntervalEstimate(value: $0, ciLow: interval(2)!.0, ciHigh: interval(2)!.1) }
        confusionShares = votePairs == 0 ? [] : (0..<3).map { r in
            (0..<3).map { c in
                let k = 3 + r * 3 + c
                return IntervalEstimate(value: point[k]!, ciLow: interval(k)!.0, ciHigh: interval(k)!.1)
            }
        }
    }

    // MARK: - Statistics of a 3 × 3 count matrix (row-major; 0 = A, 1 = tie, 2 = B)

    static func withTies(_ m: [Int]) -> (agree: Int, total: Int, rate: Double)? {
        let total = m.reduce(0, +), agree = m[0] + m[4] + m[8]
        return total == 0 ? nil : (agree, total, Double(agree) / Double(total))
    }

    static func withoutTies(_ m: [Int]) -> (agree: Int, total: Int, rate: Double)? {
        let agree = m[0] + m[8], total = agree + m[2] + m[6]
        return total == 0 ? nil : (agree, total, Double(agree) / Double(total))
    }

    /// Cohen's κ = (p_o − p_e) / (1 − p_e), p_e from the two raters' own label shares; nil when
    /// there are no votes or p_e = 1 (both raters gave one label throughout).
    static func kappa(_ m: [Int]) -> Double? {
        let n = Double(m.reduce(0, +))
        guard n > 0 else { return nil }
        var observed = 0.0, expected = 0.0
        for k in 0..<3 {
            observed += Double(m[k * 3 + k])
            expected += Double(m[k * 3] + m[k * 3 + 1] + m[k * 3 + 2]) * Double(m[k] + m[3 + k] + m[6 + k])
        }
        observed /= n
        expected /= n * n
        return expected >= 1 - 1e-12 ? nil : (observed - expected) / (1 - expected)
    }

    static func share(_ m: [Int], _ cell: Int) -> Double? {
        let n = m.reduce(0, +)
        return n == 0 ? nil : Double(m[cell]) / Double(n)
    }

    static func sum(_ cells: [[Int]], _ weights: [Int]) -> [Int] {
        var m = [Int](repeating: 0, count: 9)
        for (c, w) in zip(cells, weights) where w > 0 { for k in 0..<9 { m[k] += w * c[k] } }
        return m
    }

    // MARK: - Matching

    struct Key: Hashable {
        var item: String
        var low: String
        var high: String
    }

    /// Votes by (item, sorted pair), each as a label index (0 = the sorted pair's first model won).
    static func byKey(_ votes: [Vote]) -> [Key: [Int]] {
        var out: [Key: [Int]] = [:]
        for v in votes {
            let swapped = v.modelB < v.modelA
            let sign = swapped ? -v.outcome.sign : v.outcome.sign
            out[Key(item: v.item, low: swapped ? v.modelB : v.modelA, high: swapped ? v.modelA : v.modelB), default: []]
                .append(1 - sign)
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case matchedKeys = "matched_keys", onlyFirst = "only_first", onlySecond = "only_second"
        case votePairs = "vote_pairs", withTies = "with_ties", withoutTies = "without_ties", kappa
        case confusion, confusionShares = "confusion_shares", confidence
    }
}
