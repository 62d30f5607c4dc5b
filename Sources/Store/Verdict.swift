import GRDB

/// A pairwise verdict between two answers "A" and "B", on the five-point Arena-Hard scale: the value a
/// judgment row stores. What verdicts mean for ratings — direction, score, the two-order rule — is the
/// comparison stage's (module `Comparisons`, `Verdict+Rules.swift`).
///
/// Stored judgments use it in *presented* terms (A = the answer shown first); comparisons
/// (``ComparisonRecord``) use it in *canonical* terms (A = the pair's model A). Plain pairwise
/// templates map `[[A]]`, `[[B]]`, `[[C]]` to ``aBetter``, ``bBetter``, ``tie``.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case aMuchBetter = "A>>B"
    case aBetter = "A>B"
    case tie = "A=B"
    case bBetter = "B>A"
    case bMuchBetter = "B>>A"

    /// The same judgment with the two answers swapped: what it says about the other order.
    public var flipped: Verdict {
        switch self {
        case .aMuchBetter: .bMuchBetter
        case .aBetter: .bBetter
        case .tie: .tie
        case .bBetter: .aBetter
        case .bMuchBetter: .aMuchBetter
        }
    }
}

extension Verdict: DatabaseValueConvertible {}
