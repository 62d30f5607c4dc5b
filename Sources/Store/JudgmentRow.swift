/// One stored judgment of a current output pair, joined to its item, models and output lengths: what
/// ``JudgeStore/judgmentRows(suite:task:judge:_:)`` hands the comparison stage, a few dozen bytes each.
///
/// `task`, `modelA` and `modelB` index the ``SuiteIndex`` the scan returns. The verdict is in presented
/// terms (A = the answer shown first), like ``JudgmentRecord/verdict``.
public struct JudgmentRow: Sendable, Hashable {
    public var id: Int64
    public var itemID: Int64
    public var task: Int32
    public var candidateA: Int64
    public var candidateB: Int64
    /// The pair in canonical order (model A's name sorts first).
    public var modelA: Int32
    public var modelB: Int32
    /// Output lengths in characters (Unicode scalars).
    public var lengthA: Int32
    public var lengthB: Int32
    /// `ab`: model A's output was shown first.
    public var shownFirstIsA: Bool
    /// A tie recorded without a call: both outputs were identical.
    public var identicalOutputs: Bool
    public var unparsed: Bool
    public var failed: Bool
    /// 2 when the pair is judged in both orders, else 1.
    public var ordersPlanned: Int8
    public var verdict: Verdict?
    public var latency: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var cost: Double?
    /// P(the answer shown first is better), for logprob verdicts.
    public var preference: Double?

    public init(id: Int64, itemID: Int64, task: Int32, candidateA: Int64, candidateB: Int64, modelA: Int32, modelB: Int32,
                lengthA: Int32, lengthB: Int32, shownFirstIsA: Bool, identicalOutputs: Bool, unparsed: Bool, failed: Bool,
                ordersPlanned: Int8, verdict: Verdict?, latency: Double? = nil, promptTokens: Int? = nil,
                completionTokens: Int? = nil, cost: Double? = nil, preference: Double? = nil) {
        self.id = id
        self.itemID = itemID
        self.task = task
        self.candidateA = candidateA
        self.candidateB = candidateB
        self.modelA = modelA
        self.modelB = modelB
        self.lengthA = lengthA
        self.lengthB = lengthB
        self.shownFirstIsA = shownFirstIsA
        self.identicalOutputs = identicalOutputs
        self.unparsed = unparsed
        self.failed = failed
        self.ordersPlanned = ordersPlanned
        self.verdict = verdict
        self.latency = latency
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.preference = preference
    }
}

/// The names a scan's ``JudgmentRow``s refer to by index: tasks (by name, with their held-out flag),
/// models (by name) and items' external ids.
public struct SuiteIndex: Sendable, Hashable {
    public var tasks: [String] = []
    public var heldOut: [Bool] = []
    public var models: [String] = []
    public var itemExternalID: [Int64: String] = [:]

    public init() {}
}

/// A judge configuration found in a suite, with how many judgments it stored (and how many failed).
public struct JudgeConfigurationCount: Sendable, Hashable {
    public var configuration: JudgeConfiguration
    public var judgments: Int
    public var failed: Int

    public init(configuration: JudgeConfiguration, judgments: Int, failed: Int) {
        self.configuration = configuration
        self.judgments = judgments
        self.failed = failed
    }
}

/// One comparison's prompt, outputs and judgments (see ``JudgeStore/comparisonDetails(itemID:candidateA:candidateB:judgmentIDs:)``).
public struct ComparisonDetails: Sendable, Hashable {
    public var prompt: String
    public var reference: String?
    public var outputA: String
    public var outputB: String
    public var judgments: [JudgmentRecord]

    public init(prompt: String, reference: String?, outputA: String, outputB: String, judgments: [JudgmentRecord]) {
        self.prompt = prompt
        self.reference = reference
        self.outputA = outputA
        self.outputB = outputB
        self.judgments = judgments
    }
}
