// MARK: - Markdown escaping of untrusted text

/// Escapes text for GitHub-flavoured Markdown so that it renders as the literal characters.
///
/// A report.md is pasted into pull-request comments, where a model's output must not become a
/// heading, a quote, a list, a link, an image, emphasis, a table cell break or raw HTML. Every
/// ASCII punctuation character with a meaning in CommonMark/GFM is backslash-escaped (CommonMark
/// allows a backslash before any ASCII punctuation); `<`, `>` and `&` become entities so no HTML
/// tag or autolink (`<javascript:…>`) survives; and the colon after a URL scheme is escaped so no
/// `javascript:` text is ever a link target.
enum MarkdownText {
    /// Characters with an inline meaning in GFM (code, emphasis, strikethrough, links, images, table
    /// cells, autolink schemes): escaped wherever they appear.
    private static let inline: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "(", ")", "!", "|", "~", ":"]
    /// Characters that start a block (heading, list, thematic break, setext underline): escaped only
    /// at the start of the text, after nothing but spaces and digits ("1. item", "- item", "# h").
    private static let blockStart: Set<Unicode.Scalar> = ["#", "+", "-", "=", ".", "{", "}"]

    /// Escapes one line or paragraph for inline use; newlines become spaces (use ``cell(_:)`` in tables).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        var atStart = true
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                if inline.contains(scalar) || (atStart && blockStart.contains(scalar)) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            if !(scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || ("0"..."9").contains(scalar)) {
                atStart = false
            }
        }
        return out
    }

    /// Escapes text for a GFM table cell: as ``escape(_:)``, and never empty-looking.
    static func cell(_ text: String) -> String {
        let escaped = escape(text)
        return escaped.isEmpty ? " " : escaped
    }

    /// A fenced code block that `text` cannot close: the fence is one backtick longer than the
    /// longest run of backticks inside it. Inside, GitHub shows every character literally.
    static func codeBlock(_ text: String) -> String {
        var longest = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        var body = ""
        for scalar in text.unicodeScalars where !(scalar.value < 0x20 && scalar != "\n" && scalar != "\t") {
            body.unicodeScalars.append(scalar)
        }
        if body.hasSuffix("\n") { body.removeLast() }
        return "\(fence)text\n\(body)\n\(fence)"
    }

    /// Escapes text for raw HTML inside Markdown (a `<summary>` line): HTML-escaped, and the
    /// characters of link, emphasis and table syntax as numeric entities, so that no renderer that
    /// does parse Markdown there finds any.
    static func inlineHTML(_ text: String) -> String {
        var out = ""
        for scalar in HTMLText.escape(text).unicodeScalars {
            switch scalar {
            case "[", "]", "(", ")", ":", "|", "`", "*", "_", "~", "\\", "!":
                out += "&#\(scalar.value);"
            case "\n", "\r", "\t":
                out += " "
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// This text escaped for inline Markdown (see ``MarkdownText``).
    var md: String { MarkdownText.escape(self) }
}
