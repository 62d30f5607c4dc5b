import GRDB

/// A pairwise verdict between two answers "A" and "B", on the five-point Arena-Hard scale.
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

    /// +1 when A wins, −1 when B wins, 0 for a tie.
    public var direction: Int {
        switch self {
        case .aMuchBetter, .aBetter: 1
        case .tie: 0
        case .bBetter, .bMuchBetter: -1
        }
    }

    /// True for the graded "much better" forms.
    public var isStrong: Bool { self == .aMuchBetter || self == .bMuchBetter }

    /// A's score, ties counting half (the Chatbot Arena convention): 1, 0.5 or 0.
    public var scoreA: Double { Double(direction + 1) / 2 }

    /// Combines the canonical verdicts of the two presentation orders (position-bias control).
    ///
    /// Same direction → that direction, "much better" only when both said so; different directions
    /// (including one tie) → a tie. The second value tells whether the two orders agreed.
    public static func combine(_ first: Verdict, _ second: Verdict) -> (verdict: Verdict, agreed: Bool) {
        guard first.direction == second.direction else { return (.tie, false) }
        switch first.direction {
        case 1: return (first.isStrong && second.isStrong ? .aMuchBetter : .aBetter, true)
        case -1: return (first.isStrong && second.isStrong ? .bMuchBetter : .bBetter, true)
        default: return (.tie, true)
        }
    }
}

extension Verdict: DatabaseValueConvertible {}
