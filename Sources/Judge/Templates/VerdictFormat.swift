import Store

/// How a template asks the judge to write its verdict, and how the reply is read back.
public enum VerdictFormat: String, Sendable, Hashable {
    /// `[[A]]`, `[[B]]`, or `[[C]]` for a tie (MT-Bench pairwise style).
    case pairwise
    /// `[[A>>B]]`, `[[A>B]]`, `[[A=B]]`, `[[B>A]]`, `[[B>>A]]` (Arena-Hard style).
    case graded

    /// The verdict tokens of this format, as they appear between `[[` and `]]`.
    var tokens: [String: Verdict] {
        switch self {
        case .pairwise:
            ["A": .aBetter, "B": .bBetter, "C": .tie]
        case .graded:
            ["A>>B": .aMuchBetter, "A>B": .aBetter, "A=B": .tie, "B>A": .bBetter, "B>>A": .bMuchBetter,
             // The same judgments spelt from the other side.
             "B<<A": .aMuchBetter, "B<A": .aBetter, "B=A": .tie, "A<B": .bBetter, "A<<B": .bMuchBetter]
        }
    }
}
