// MARK: - OrderedVerdicts: one pair as the judge saw it, in each order

/// Where the judge's verdict went, in the order the two answers were shown.
public enum PositionVerdict: String, Codable, Hashable, Sendable, CaseIterable {
    case first, tie, second

    /// The verdict with the answers' positions exchanged.
    public var swapped: PositionVerdict {
        switch self {
        case .first: return .second
        case .tie: return .tie
        case .second: return .first
        }
    }
}

/// One pair of answers (model A's and model B's to one prompt) as one judge configuration saw it:
/// its verdict with A's answer shown first and with B's shown first — the input of
/// ``JudgeReliability``. The store maps its judgments onto these, so `Rank` never reads the store.
///
/// ```swift
/// // The judge picked whatever came first: the two orders disagree.
/// let pair = OrderedVerdicts(aFirst: .first, bFirst: .first, lengthA: 120, lengthB: 80)
/// ```
public struct OrderedVerdicts: Hashable, Sendable {
    /// The verdict with A's answer shown first; nil when that order was not judged or gave no verdict.
    public var aFirst: PositionVerdict?
    /// The verdict with B's answer shown first (`.first` means B won); nil as above.
    public var bFirst: PositionVerdict?
    /// For logprob judges: P(the answer shown first is better) in each order; nil for text verdicts.
    public var aFirstPreference: Double?
    public var bFirstPreference: Double?
    /// Lengths of A's and B's answers (any unit: only which is longer matters); nil when unknown.
    public var lengthA: Int?
    public var lengthB: Int?

    public init(aFirst: PositionVerdict?, bFirst: PositionVerdict?, aFirstPreference: Double? = nil,
                bFirstPreference: Double? = nil, lengthA: Int? = nil, lengthB: Int? = nil) {
        self.aFirst = aFirst
        self.bFirst = bFirst
        self.aFirstPreference = aFirstPreference
        self.bFirstPreference = bFirstPreference
        self.lengthA = lengthA
        self.lengthB = lengthB
    }

    /// A's verdict in each order, in A/B terms: +1 A won, 0 tie, −1 B won.
    var aSignAFirst: Int? { aFirst.map { $0 == .first ? 1 : $0 == .second ? -1 : 0 } }
    var aSignBFirst: Int? { bFirst.map { $0 == .second ? 1 : $0 == .first ? -1 : 0 } }

    /// Both orders gave a verdict, and they name the same winner (or both a tie): MT-Bench's consistency.
    var ordersAgree: Bool? {
        guard let x = aSignAFirst, let y = aSignBFirst else { return nil }
        return x == y
    }

    /// How far the answer shown first is favoured beyond the content: A's preference when shown first
    /// minus A's preference when shown second, P_A-first(first) − (1 − P_B-first(first)). 0 for a
    /// position-free judge; a judge that says 0.8 to whatever comes first scores 0.6.
    var positionShift: Double? {
        guard let p = aFirstPreference, let q = bFirstPreference else { return nil }
        return p + q - 1
    }
}

/// What the judge's calls yielded, counted per call (identical-output ties, which make no call, excluded).
public struct JudgeCalls: Codable, Equatable, Sendable {
    public var calls: Int
    /// Replies that held no verdict.
    public var unparsed: Int
    /// Calls that failed after the client's retries.
    public var failed: Int

    public init(calls: Int, unparsed: Int, failed: Int) {
        self.calls = calls
        self.unparsed = unparsed
        self.failed = failed
    }
}
