import Store

/// One resolved comparison: two models' current outputs on one item, judged, with position bias resolved.
///
/// This is what ratings are fitted on. Each record stands for one (item, model pair) under one judge
/// configuration: its one or two stored judgments combined by ``Verdict/combine(_:_:)`` when the pair
/// was judged in both orders — agreeing orders give their verdict, disagreeing ones a tie; logprob
/// verdicts in both orders are decided by the preference averaged over the two orders instead, which
/// cancels the judge's position bias (``Verdict/calibrated(ab:ba:)``). Identical outputs are one tie.
/// Unparsed or failed judgments, and pairs whose second order is still missing, yield no record (see
/// ``JudgeHealth``).
///
/// ```swift
/// for c in try reader.comparisons(suite: "demo", judge: judge) {
///     battles.append((c.modelA, c.modelB, c.scoreA))   // 1, 0.5, 0
/// }
/// ```
public struct ComparisonRecord: Sendable, Hashable {
    public var task: String
    /// Whether the task is held out (for the overfitting check).
    public var heldOut: Bool
    /// The item's id from its items file.
    public var itemID: String
    /// The pair, canonical order: `modelA` sorts before `modelB` by name.
    public var modelA: String
    public var modelB: String
    /// The verdict in canonical terms: `.aBetter` means modelA won, `.aMuchBetter` that it won clearly
    /// (graded templates, both orders agreeing on the strong form).
    public var outcome: Verdict
    /// Output lengths in characters (Unicode scalars), for length-controlled ratings and judge health.
    public var lengthA: Int
    public var lengthB: Int
    /// Whether the two orders agreed; `nil` when only one order was judged (or none was needed).
    public var ordersAgreed: Bool?
    /// Both outputs were identical: a tie recorded without a judge call.
    public var identicalOutputs: Bool
    /// The judge configuration whose judgments these are.
    public var judge: JudgeConfiguration

    public init(
        task: String, heldOut: Bool, itemID: String, modelA: String, modelB: String, outcome: Verdict,
        lengthA: Int, lengthB: Int, ordersAgreed: Bool?, identicalOutputs: Bool, judge: JudgeConfiguration
    ) {
        self.task = task
        self.heldOut = heldOut
        self.itemID = itemID
        self.modelA = modelA
        self.modelB = modelB
        self.outcome = outcome
        self.lengthA = lengthA
        self.lengthB = lengthB
        self.ordersAgreed = ordersAgreed
        self.identicalOutputs = identicalOutputs
        self.judge = judge
    }

    /// Who won, in Chatbot Arena's battle terms.
    public enum Winner: String, Sendable, Hashable {
        case modelA = "model_a"
        case modelB = "model_b"
        case tie
    }

    public var winner: Winner {
        switch outcome.direction {
        case 1: .modelA
        case -1: .modelB
        default: .tie
        }
    }

    /// modelA's score: 1 win, 0.5 tie, 0 loss.
    public var scoreA: Double { outcome.scoreA }
}
