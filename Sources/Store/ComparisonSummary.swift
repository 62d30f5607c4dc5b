// MARK: - ComparisonSummary: what ratings and reports read from a suite, in one pass

/// Everything a report needs from one suite's judgments, gathered in a single pass over them:
/// the resolved comparisons deduplicated into counted groups, the judge's health, and a bounded,
/// deterministic sample of comparisons to read by eye.
///
/// ```swift
/// let summary = try store.comparisonSummary(suite: "demo", sampleLimit: 12)
/// for g in summary.groups { print(g.task, g.modelA, g.modelB, g.outcome.rawValue, g.count) }
/// ```
/// Built by ``JudgeStore/comparisonSummary(suite:task:judgeModel:sampleLimit:)``; its groups hold
/// exactly the records of ``JudgeStore/comparisons(suite:task:judgeModel:)`` counted, its health is
/// ``JudgeStore/judgeHealth(suite:task:judgeModel:)`` and its samples are
/// ``JudgeStore/sampleComparisons(suite:task:judgeModel:limit:)``.
public struct ComparisonSummary: Sendable, Hashable {
    /// Resolved comparisons, deduplicated: sorted by task, model A, model B, outcome, judge, template.
    public var groups: [ComparisonGroup]
    public var health: JudgeHealth
    /// At most `sampleLimit` comparisons with their prompt, outputs and the judge's replies.
    public var samples: [ComparisonSample]

    public init(groups: [ComparisonGroup], health: JudgeHealth, samples: [ComparisonSample]) {
        self.groups = groups
        self.health = health
        self.samples = samples
    }

    /// The number of resolved comparisons (Σ count).
    public var comparisonCount: Int { groups.reduce(0) { $0 + $1.count } }
}

/// Resolved comparisons that agree in everything ratings use: one task, one canonical pair, one
/// outcome, one judge and template — and how many there are. (Output lengths differ from item to
/// item, so a length-controlled fit reads ``ComparisonRecord``s instead.)
public struct ComparisonGroup: Sendable, Hashable {
    public var task: String
    public var heldOut: Bool
    /// The pair in canonical order (modelA sorts before modelB by name).
    public var modelA: String
    public var modelB: String
    /// The combined verdict in canonical terms (see ``ComparisonRecord/outcome``).
    public var outcome: Verdict
    public var judgeModel: String
    public var templateID: String
    public var templateVersion: String
    /// How many resolved comparisons share all of the above (≥ 1).
    public var count: Int

    public init(task: String, heldOut: Bool, modelA: String, modelB: String, outcome: Verdict,
                judgeModel: String, templateID: String, templateVersion: String, count: Int) {
        self.task = task
        self.heldOut = heldOut
        self.modelA = modelA
        self.modelB = modelB
        self.outcome = outcome
        self.judgeModel = judgeModel
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.count = count
    }
}
