import Store

/// How a template asks the judge to write its verdict, and how the reply is read back.
public enum VerdictFormat: String, Sendable, Hashable {
    /// `[[A]]`, `[[B]]`, or `[[C]]` for a tie (MT-Bench pairwise style).
    case pairwise
    /// `[[A>>B]]`, `[[A>B]]`, `[[A=B]]`, `[[B>A]]`, `[[B>>A]]` (Arena-Hard style).
    case graded
    /// One token, `A`, `B` or `tie`, read from its log-probabilities rather than its text
    /// (``LogprobVerdictParser``; the suite's `verdict: logprobs`).
    case logprobs

    /// The verdict tokens of this format, as they appear between `[[` and `]]` (text formats only).
    var tokens: [String: Verdict] {
        switch self {
        case .pairwise:
            ["A": .aBetter, "B": .bBetter, "C": .tie]
        case .graded:
            ["A>>B": .aMuchBetter, "A>B": .aBetter, "A=B": .tie, "B>A": .bBetter, "B>>A": .bMuchBetter,
             // The same judgments spelt from the other side.
             "B<<A": .aMuchBetter, "B<A": .aBetter, "B=A": .tie, "A<B": .bBetter, "A<<B": .bMuchBetter]
        case .logprobs:
            [:]
        }
    }

    /// True when the verdict is read from log-probabilities (a one-token reply), not from the text.
    public var readsLogprobs: Bool { self == .logprobs }

    /// What a reply in this format lacked when it is stored as unparsed.
    var missingVerdict: String {
        switch self {
        case .pairwise: "no verdict [[A]], [[B]] or [[C]] in the reply"
        case .graded: "no verdict [[A>>B]], [[A>B]], [[A=B]], [[B>A]] or [[B>>A]] in the reply"
        case .logprobs: "no verdict token (A, B or tie) at the verdict position"
        }
    }
}
