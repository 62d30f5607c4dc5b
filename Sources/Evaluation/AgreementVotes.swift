import Comparisons
import Foundation
import Rank
import Report
import Store
import Suite

// MARK: - Votes for the agreement figures: a judge configuration's, or people's

/// Turns a judge configuration's stored comparisons and a suite's human labels into `Rank.Vote`s keyed
/// alike — the item by its task and id, so items of two tasks with the same id never meet — for
/// `judge agreement` and the report's agreement section.
public enum AgreementVotes {
    /// The item key both sides use: task and item id.
    public static func item(task: String, id: String) -> String { task + "\u{1F}" + id }

    /// Every resolved comparison of `judge` on `suite`, one vote each.
    public static func judge(_ reader: ComparisonReader, suite: String, judge: JudgeConfiguration) throws -> [Vote] {
        try reader.comparisons(suite: suite, judge: judge).map { r in
            Vote(item: item(task: r.task, id: r.itemID), modelA: r.modelA, modelB: r.modelB, outcome: Outcome(r.outcome))
        }
    }

    /// Human votes; labels without a task (read without a suite) match no item.
    public static func human(_ labels: [HumanLabel]) -> [Vote] {
        labels.compactMap { label in
            guard let task = label.task else { return nil }
            let outcome: Outcome
            switch label.winner {
            case .modelA: outcome = .aBetter
            case .modelB: outcome = .bBetter
            case .tie: outcome = .tie
            case .tieBothBad: outcome = .tieBothBad
            }
            return Vote(item: item(task: task, id: label.item), modelA: label.modelA, modelB: label.modelB, outcome: outcome)
        }
    }

    /// The report's agreement section: `judge` against the suite's `human_labels:`; nil when it names none.
    public static func report(suite: Suite, reader: ComparisonReader, judge: JudgeConfiguration,
                       options: RatingOptions) throws -> HumanAgreement? {
        guard let file = suite.humanLabelsFile, !suite.humanLabels.isEmpty else { return nil }
        let agreement = Agreement(first: try self.judge(reader, suite: suite.name, judge: judge), second: human(suite.humanLabels),
                                  bootstrapRounds: options.bootstrapRounds, seed: options.seed)
        return HumanAgreement(labelsFile: file.lastPathComponent, votes: suite.humanLabels.count, agreement: agreement)
    }
}
