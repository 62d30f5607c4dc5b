import Store

/// Reads the verdict out of a judge's reply.
///
/// The judge reasons first and states its verdict last, and its reasoning may quote the format
/// ("I must answer [[A]] or [[B]]…"), so the *last* well-formed verdict wins. Whitespace inside the
/// brackets is ignored (`[[ A > B ]]`). A reply without any verdict gives `nil`: the caller stores it
/// as unparsed with its raw text — never as a tie.
///
/// ```swift
/// VerdictParser.parse("A is longer, but B is right. [[B]]", format: .pairwise)  // .bBetter
/// ```
public enum VerdictParser {
    public static func parse(_ reply: String, format: VerdictFormat) -> Verdict? {
        let tokens = format.tokens
        var last: Verdict?
        var rest = reply[...]
        while let open = rest.range(of: "[[") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "]]") else { break }
            let inside = afterOpen[..<close.lowerBound]
            let token = String(inside.filter { !$0.isWhitespace })
            if inside.count <= 16, let verdict = tokens[token] {
                last = verdict
                rest = afterOpen[close.upperBound...]
            } else {
                // Not a verdict: look again just after this "[[" (it may open a nested "[[[A]]").
                rest = rest[rest.index(after: open.lowerBound)...]
            }
        }
        return last
    }
}
