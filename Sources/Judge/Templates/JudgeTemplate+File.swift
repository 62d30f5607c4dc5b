import Foundation
import Store
import Suite

/// Why a judge template could not be used.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension JudgeTemplate {
    // MARK: - Templates by name and from files

    /// A built-in template by id.
    ///
    /// - Throws: ``TemplateError`` naming the built-ins when `id` is not one.
    public static func named(_ id: String) throws -> JudgeTemplate {
        guard let template = builtIn[id] else {
            throw TemplateError(message: "unknown judge template \"\(id)\": use one of \(builtIn.keys.sorted().joined(separator: ", ")), or template_file: for your own")
        }
        return template
    }

    /// Reads a user template.
    ///
    /// The file is the user message, with placeholders (see ``JudgeTemplate``). To add a system message,
    /// put it first under a line `=== system ===` and start the user message with a line `=== user ===`.
    /// In the `text` verdict mode the format is read from the text: it must show the judge `[[A>>B]]`-style
    /// grades (graded) or `[[A]]`/`[[B]]`/`[[C]]` (pairwise). In the `logprobs` mode it must ask for a
    /// one-token answer, A, B or tie (it must mention "tie"). The version is the hash of the file's text,
    /// prefixed with `logprobs-` in that mode, so text and logprob verdicts never share keys.
    ///
    /// - Throws: ``TemplateError`` naming the file: unreadable, unknown placeholders, a missing
    ///   `{{question}}`, `{{answer_a}}` or `{{answer_b}}`, or no verdict format shown.
    public static func load(file: URL, verdict: JudgeSpec.VerdictMode = .text) throws -> JudgeTemplate {
        let path = file.path
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw TemplateError(message: "\(path): cannot read the judge template file")
        }
        return try parse(text, name: file.lastPathComponent, path: path, verdict: verdict)
    }

    /// Parses user template text; `path` only names the file in errors.
    public static func parse(_ text: String, name: String, path: String,
                             verdict: JudgeSpec.VerdictMode = .text) throws -> JudgeTemplate {
        var system = ""
        var user = text
        let lines = text.components(separatedBy: "\n")
        if let systemLine = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "=== system ===" }) {
            guard let userLine = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "=== user ===" }),
                  userLine > systemLine else {
                throw TemplateError(message: "\(path):\(systemLine + 1): a \"=== system ===\" section must be followed by a \"=== user ===\" line")
            }
            system = lines[(systemLine + 1)..<userLine].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            user = lines[(userLine + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let used = placeholderNames(in: system) + placeholderNames(in: user)
        if let unknown = used.first(where: { !placeholders.contains($0) }) {
            throw TemplateError(message: "\(path): unknown placeholder {{\(unknown)}}; known: \(placeholders.map { "{{\($0)}}" }.joined(separator: ", "))")
        }
        for required in ["question", "answer_a", "answer_b"] where !used.contains(required) {
            throw TemplateError(message: "\(path): the template never shows {{\(required)}} to the judge")
        }
        let whole = system + "\n" + user
        let hash = String(ContentKey.sha256(text).prefix(16))
        if verdict == .logprobs {
            guard whole.range(of: "tie", options: .caseInsensitive) != nil else {
                throw TemplateError(message: "\(path): with verdict: logprobs the template must ask for a one-token answer: A, B or tie (e.g. \"Which answer is better? Reply with A, B or tie.\")")
            }
            return JudgeTemplate(id: "file:\(name)", version: "logprobs-\(hash)", system: system, user: user, format: .logprobs)
        }
        let format: VerdictFormat
        if whole.contains("[[A>>B]]") || whole.contains("[[A>B]]") {
            format = .graded
        } else if whole.contains("[[A]]") && whole.contains("[[B]]") {
            format = .pairwise
        } else {
            throw TemplateError(message: "\(path): the template must tell the judge how to write its verdict: [[A]], [[B]], [[C]] (pairwise) or [[A>>B]], [[A>B]], [[A=B]], [[B>A]], [[B>>A]] (graded)")
        }
        return JudgeTemplate(id: "file:\(name)", version: hash, system: system, user: user, format: format)
    }
}
