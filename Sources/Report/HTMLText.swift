// MARK: - HTML escaping of untrusted text

/// Escapes text for HTML element content and quoted attribute values.
///
/// Everything a model or a judge wrote goes through here before it reaches the page, so an output
/// containing `<script>`, `<img onerror=…>` or `</textarea>` shows as text. All five characters
/// that matter in either context are replaced (OWASP's rule for HTML body and attributes); control
/// characters other than tab/newline/return are dropped, since HTML forbids them.
enum HTMLText {
    /// - Complexity: O(n) in the UTF-8 length.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// This text escaped for HTML (see ``HTMLText``).
    var html: String { HTMLText.escape(self) }
}
