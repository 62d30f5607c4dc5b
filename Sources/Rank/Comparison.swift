// MARK: - Comparison: one pairwise verdict, the input of every rating

/// One pairwise verdict: model A against model B on one prompt.
///
/// This is all `Rank` needs from upstream — the store, a battles file or a simulation
/// map their records onto it, so the rating code never depends on where verdicts live.
///
/// ```swift
/// let c = Comparison(modelA: "ft-3", modelB: "base", outcome: .aMuchBetter, task: "code")
/// let tenTies = Comparison(modelA: "ft-3", modelB: "base", outcome: .tie, count: 10)
/// ```
/// `count` lets a caller hand over deduplicated verdicts — unique (A, B, outcome, task, lengths)
/// with how many times each occurred — which rate exactly like as many separate comparisons
/// (the bootstrap resamples the individual verdicts either way), at a fraction of the memory.
public struct Comparison: Hashable, Codable, Sendable {
    public var modelA: String
    public var modelB: String
    public var outcome: Outcome
    /// The task the prompt belongs to (per-task ratings, the held-out check); nil when unknown.
    public var task: String?
    /// Length of A's and B's outputs (tokens or characters — only their ratio matters);
    /// needed only for length control.
    public var lengthA: Int?
    public var lengthB: Int?
    /// How many identical verdicts this one stands for (≥ 1; 1 unless deduplicated).
    public var count: Int

    public init(modelA: String, modelB: String, outcome: Outcome, task: String? = nil,
                lengthA: Int? = nil, lengthB: Int? = nil, count: Int = 1) {
        self.modelA = modelA
        self.modelB = modelB
        self.outcome = outcome
        self.task = task
        self.lengthA = lengthA
        self.lengthB = lengthB
        self.count = count
    }

    /// The same verdict with A and B swapped.
    public var mirrored: Comparison {
        Comparison(modelA: modelB, modelB: modelA, outcome: outcome.mirrored, task: task,
                   lengthA: lengthB, lengthB: lengthA, count: count)
    }

    // MARK: Codable (`count` is optional in JSON and defaults to 1)

    enum CodingKeys: String, CodingKey { case modelA, modelB, outcome, task, lengthA, lengthB, count }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(modelA: try c.decode(String.self, forKey: .modelA), modelB: try c.decode(String.self, forKey: .modelB),
                  outcome: try c.decode(Outcome.self, forKey: .outcome), task: try c.decodeIfPresent(String.self, forKey: .task),
                  lengthA: try c.decodeIfPresent(Int.self, forKey: .lengthA), lengthB: try c.decodeIfPresent(Int.self, forKey: .lengthB),
                  count: try c.decodeIfPresent(Int.self, forKey: .count) ?? 1)
    }
}

extension Array where Element == Comparison {
    /// The number of verdicts, counting each comparison `count` times.
    public var verdictCount: Int { reduce(0) { $0 + $1.count } }
}

// MARK: - Outcome

/// A verdict, graded as judges grade them (arena-hard-auto's five labels, plus Chatbot Arena's
/// "both bad" tie, which rates exactly like a tie).
public enum Outcome: String, Hashable, Codable, Sendable, CaseIterable {
    case aMuchBetter = "A>>B"
    case aBetter = "A>B"
    case tie = "A=B"
    case tieBothBad = "A=B (both bad)"
    case bBetter = "B>A"
    case bMuchBetter = "B>>A"

    /// The outcome seen from B's side.
    public var mirrored: Outcome {
        switch self {
        case .aMuchBetter: return .bMuchBetter
        case .aBetter: return .bBetter
        case .tie: return .tie
        case .tieBothBad: return .tieBothBad
        case .bBetter: return .aBetter
        case .bMuchBetter: return .aMuchBetter
        }
    }

    public var isTie: Bool { self == .tie || self == .tieBothBad }
    public var isStrong: Bool { self == .aMuchBetter || self == .bMuchBetter }
    /// +1 when A won, −1 when B won, 0 for a tie.
    public var sign: Int {
        switch self {
        case .aMuchBetter, .aBetter: return 1
        case .tie, .tieBothBad: return 0
        case .bBetter, .bMuchBetter: return -1
        }
    }
}
