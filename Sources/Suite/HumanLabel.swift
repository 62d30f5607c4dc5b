import Foundation

// MARK: - HumanLabel: one human pairwise vote

/// One human vote on a pair of models' answers to one item — a line of MT-Bench's human judgments
/// (`lmsys/mt_bench_human_judgments`) or of Chatbot Arena's battles:
///
/// ```json
/// {"question_id": 81, "model_a": "alpaca-13b", "model_b": "gpt-4", "winner": "model_b", "judge": "expert_0", "turn": 1}
/// ```
/// Judge configurations are measured against these by `judge agreement` and the report's agreement section.
public struct HumanLabel: Hashable, Sendable {
    public enum Winner: String, Hashable, Sendable, CaseIterable {
        case modelA = "model_a"
        case modelB = "model_b"
        case tie
        case tieBothBad = "tie (bothbad)"
    }

    /// The suite item's id (`question_id`, or `item`).
    public var item: String
    /// The item's task: given by `task`, or found from the item id when the suite is known; nil otherwise.
    public var task: String?
    public var modelA: String
    public var modelB: String
    public var winner: Winner
    /// Who voted (`judge` in MT-Bench's files, e.g. `expert_0`); nil when not given.
    public var voter: String?
    /// The line it came from (1-based), for messages.
    public var line: Int

    public init(item: String, task: String? = nil, modelA: String, modelB: String, winner: Winner, voter: String? = nil, line: Int = 0) {
        self.item = item
        self.task = task
        self.modelA = modelA
        self.modelB = modelB
        self.winner = winner
        self.voter = voter
        self.line = line
    }
}
