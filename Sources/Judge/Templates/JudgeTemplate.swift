import Foundation
import OpenAIWire
import Store

/// A judge prompt: how one pairwise comparison is put to the judge, and how its verdict is written.
///
/// Built-ins: ``pairwise`` (MT-Bench pair style, `[[A]]`/`[[B]]`/`[[C]]`), ``pairwiseGraded``
/// (Arena-Hard style, `[[A>>B]]` … `[[B>>A]]`), ``pairwiseReference`` (like `pairwise`, with the
/// item's reference answer) and ``pairwiseLogprobs`` (one token, `A`/`B`/`tie`, read from the judge's
/// log-probabilities: the `logprobs` verdict mode). User templates come from a file (``load(file:verdict:)``).
///
/// Every judgment stores the template's ``id`` and ``version``; a changed template text changes the
/// rendered prompt and so the judgment key, so nothing judged with the old text is reused.
///
/// Placeholders, replaced in one pass (text coming from models is never re-scanned):
/// `{{question}}` the item's prompt, `{{system}}` the item's system prompt (empty when none),
/// `{{answer_a}}` and `{{answer_b}}` the outputs as presented, `{{reference}}` the reference answer.
public struct JudgeTemplate: Sendable, Hashable {
    /// `pairwise`, `pairwise-graded`, `pairwise-reference`, or `file:NAME` for a user template.
    public var id: String
    /// `v1`… for built-ins; the first 16 hex digits of the file's SHA-256 for user templates; prefixed
    /// `logprobs-` for templates read in the logprob verdict mode.
    public var version: String
    /// The system message (may be empty: then none is sent).
    public var system: String
    /// The user message with its placeholders.
    public var user: String
    public var format: VerdictFormat

    public init(id: String, version: String, system: String, user: String, format: VerdictFormat) {
        self.id = id
        self.version = version
        self.system = system
        self.user = user
        self.format = format
    }

    /// Whether rendering needs the item's reference answer.
    public var needsReference: Bool { system.contains("{{reference}}") || user.contains("{{reference}}") }

    /// The placeholders a template may use.
    public static let placeholders = ["question", "system", "answer_a", "answer_b", "reference"]

    // MARK: - Rendering

    /// What the judge is shown for one comparison in one order.
    public struct Inputs: Sendable, Hashable {
        public var question: String
        public var system: String?
        /// The answer presented first ("A").
        public var answerA: String
        /// The answer presented second ("B").
        public var answerB: String
        public var reference: String?

        public init(question: String, system: String? = nil, answerA: String, answerB: String, reference: String? = nil) {
            self.question = question
            self.system = system
            self.answerA = answerA
            self.answerB = answerB
            self.reference = reference
        }
    }

    /// The chat messages for one comparison: a system message (when the template has one) and the user message.
    public func render(_ inputs: Inputs) -> [ChatMessage] {
        let values = [
            "question": inputs.question,
            "system": inputs.system ?? "",
            "answer_a": inputs.answerA,
            "answer_b": inputs.answerB,
            "reference": inputs.reference ?? "",
        ]
        var messages: [ChatMessage] = []
        if !system.isEmpty { messages.append(.system(Self.substitute(system, values))) }
        messages.append(.user(Self.substitute(user, values)))
        return messages
    }

    /// Replaces `{{name}}` with `values[name]` in a single left-to-right pass.
    static func substitute(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            if let close = after.range(of: "}}"), let value = values[String(after[..<close.lowerBound])] {
                out += value
                rest = after[close.upperBound...]
            } else {
                out += "{{"
                rest = after
            }
        }
        out += rest
        return out
    }

    /// The names inside every `{{…}}` of `text`.
    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            names.append(String(after[..<close.lowerBound]))
            rest = after[close.upperBound...]
        }
        return names
    }
}
