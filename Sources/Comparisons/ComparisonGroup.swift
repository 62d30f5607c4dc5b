import Store

/// Resolved comparisons of one configuration that agree in everything ratings use: one task, one
/// canonical pair, one outcome — and how many there are. (Output lengths differ from item to
/// item, so a length-controlled fit reads ``ComparisonRecord``s instead.)
public struct ComparisonGroup: Sendable, Hashable {
    public var task: String
    public var heldOut: Bool
    /// The pair in canonical order (modelA sorts before modelB by name).
    public var modelA: String
    public var modelB: String
    /// The combined verdict in canonical terms (see ``ComparisonRecord/outcome``).
    public var outcome: Verdict
    /// How many resolved comparisons share all of the above (≥ 1).
    public var count: Int

    public init(task: String, heldOut: Bool, modelA: String, modelB: String, outcome: Verdict, count: Int) {
        self.task = task
        self.heldOut = heldOut
        self.modelA = modelA
        self.modelB = modelB
        self.outcome = outcome
        self.count = count
    }
}
