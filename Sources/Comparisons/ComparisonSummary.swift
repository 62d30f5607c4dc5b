import Rank
import Store

// MARK: - ComparisonSummary: what ratings and reports read from a suite, in one pass

/// Everything a report needs from one judge configuration's judgments on one or more suites, gathered
/// in a single pass over them: the resolved comparisons deduplicated into counted groups, the judge's
/// health, and a bounded, deterministic sample of comparisons to read by eye.
///
/// ```swift
/// let summary = try reader.summary(suites: ["demo"], judge: judge, sampleLimit: 12)
/// for g in summary.groups { print(g.task, g.modelA, g.modelB, g.outcome.rawValue, g.count) }
/// ```
/// Built by ``ComparisonReader/summary(suites:task:judge:sampleLimit:)``; its groups hold exactly the
/// records of ``ComparisonReader/comparisons(suite:task:judge:)`` counted, its health is
/// ``ComparisonReader/health(suites:task:judge:)`` and its samples are
/// ``ComparisonReader/samples(suite:task:judge:limit:)``.
public struct ComparisonSummary: Sendable, Hashable {
    /// The configuration every comparison here comes from.
    public var judge: JudgeConfiguration
    /// Resolved comparisons, deduplicated: sorted by task, model A, model B, outcome.
    public var groups: [ComparisonGroup]
    public var health: JudgeHealth
    /// At most `sampleLimit` comparisons per suite with their prompt, outputs and the judge's replies.
    public var samples: [ComparisonSample]
    /// Every pair judged in either order, as the reliability figures read it (see ``reliability(bootstrapRounds:seed:)``).
    public var pairs: [OrderedVerdicts] = []

    public init(judge: JudgeConfiguration, groups: [ComparisonGroup], health: JudgeHealth, samples: [ComparisonSample]) {
        self.judge = judge
        self.groups = groups
        self.health = health
        self.samples = samples
    }

    /// The configuration's reliability over these judgments: position consistency, position and length
    /// bias, failures, and the status they add up to (``Rank/JudgeReliability``).
    public func reliability(bootstrapRounds: Int = 1000, seed: UInt64 = 1) -> JudgeReliability {
        JudgeReliability(pairs, calls: JudgeCalls(calls: health.calls, unparsed: health.unparsed, failed: health.failed),
                         bootstrapRounds: bootstrapRounds, seed: seed)
    }

    /// The number of resolved comparisons (Σ count).
    public var comparisonCount: Int { groups.reduce(0) { $0 + $1.count } }
}
