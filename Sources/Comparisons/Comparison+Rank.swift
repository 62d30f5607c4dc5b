import Rank
import Store

// MARK: - Stored comparisons as Rank's input

/// The one place where stored comparisons become `Rank.Comparison`s — for `judge rank`, `judge
/// overfit`, `judge report`, `judge leaderboard` and adaptive pairing alike — so `Rank` stays
/// independent of the store and the mapping is tested once.
///
/// Store's five-point ``Verdict`` (canonical terms, both orders already combined) maps onto the
/// same five `Outcome`s; unparsed and failed judgments never reach a ``ComparisonRecord`` or a
/// ``ComparisonGroup``, so nothing is turned into a tie here.
extension Comparison {
    /// One resolved comparison, with the task and both output lengths (for length control).
    public init(_ record: ComparisonRecord) {
        self.init(modelA: record.modelA, modelB: record.modelB, outcome: Outcome(record.outcome), task: record.task,
                  lengthA: record.lengthA, lengthB: record.lengthB)
    }

    /// A counted group of resolved comparisons (no lengths: they differ within a group).
    public init(_ group: ComparisonGroup) {
        self.init(modelA: group.modelA, modelB: group.modelB, outcome: Outcome(group.outcome), task: group.task,
                  count: group.count)
    }
}

extension Outcome {
    /// The same verdict in Rank's terms.
    public init(_ verdict: Verdict) {
        switch verdict {
        case .aMuchBetter: self = .aMuchBetter
        case .aBetter: self = .aBetter
        case .tie: self = .tie
        case .bBetter: self = .bBetter
        case .bMuchBetter: self = .bMuchBetter
        }
    }
}
