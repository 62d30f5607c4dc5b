import ChatCompletions
import Foundation
import Store

/// Reads a one-token verdict from the judge's log-probabilities, as AlpacaEval does.
///
/// The judge was asked to answer `A`, `B` or `tie` in one token, with `logprobs: true` and
/// `top_logprobs: K`. At the verdict position — the first generated token that is more than whitespace or
/// markup (with `max_tokens: 1`, the only one) — the probabilities of every variant of each answer among
/// the top K alternatives are summed: `A`, ` A`, `a`, `**A`, `(A`… count as A, and `tie`, ` Tie`, `TIE` as a
/// tie. The three sums are renormalized over the verdict set; the verdict is the most probable of them.
/// Reading probabilities instead of the sampled token lets a small judge that puts 40% on "A" and 35% on
/// "B" say so, and a judge that answered "The" still count when "A" and "B" were right behind.
///
/// A reply without logprobs (the server ignores `logprobs`), without top alternatives at the verdict
/// position, or with none of the verdict tokens among them gives ``Outcome/unparsed(_:)`` with the reason
/// — never a tie.
///
/// ```swift
/// switch LogprobVerdictParser.parse(completion) {
/// case .verdict(let p): print(p.verdict, p.preferenceA)   // .aBetter, 0.71
/// case .unparsed(let why): print(why)
/// }
/// ```
public enum LogprobVerdictParser {
    public enum Outcome: Sendable, Hashable {
        case verdict(VerdictProbabilities)
        /// Why no verdict could be read, for `judgment.unparsed_reason`.
        case unparsed(String)
    }

    /// The answers a verdict token can stand for.
    enum Choice: Sendable, Hashable {
        case a, b, tie
    }

    public static func parse(_ completion: ChatCompletion) -> Outcome {
        guard let tokens = completion.logprobs, !tokens.isEmpty else {
            return .unparsed("the judge returned no logprobs (the logprob verdict mode needs a server that honours logprobs and top_logprobs); reply: \(quoted(completion.content))")
        }
        let position = tokens.firstIndex { !normalized($0.token).isEmpty } ?? 0
        let entry = tokens[position]
        guard !entry.topLogprobs.isEmpty else {
            return .unparsed("the judge returned no top_logprobs at the verdict position (token \(position + 1), \(quoted(entry.token))); the server must honour top_logprobs")
        }
        var alternatives = entry.topLogprobs.map { (token: $0.token, logprob: $0.logprob) }
        if !alternatives.contains(where: { $0.token == entry.token }) {
            alternatives.append((entry.token, entry.logprob))
        }
        var sums: [Choice: Double] = [:]
        for alternative in alternatives {
            guard let choice = choice(alternative.token), alternative.logprob.isFinite else { continue }
            sums[choice, default: 0] += exp(alternative.logprob)
        }
        let mass = sums.values.reduce(0, +)
        guard !sums.isEmpty, mass > 0 else {
            let top = alternatives.sorted { $0.logprob > $1.logprob }.prefix(5)
                .map { "\(quoted($0.token)) \(String(format: "%.3f", exp($0.logprob)))" }.joined(separator: ", ")
            return .unparsed("no verdict token (A, B or tie) among the \(entry.topLogprobs.count) most likely tokens at the verdict position; the most likely were \(top)")
        }
        return .verdict(VerdictProbabilities(
            a: (sums[.a] ?? 0) / mass, b: (sums[.b] ?? 0) / mass, tie: (sums[.tie] ?? 0) / mass,
            mass: min(1, mass), topCount: entry.topLogprobs.count))
    }

    // MARK: - Tokens

    /// The answer a token stands for, if any: `A`, `a`, ` A`, `**A`, `(A`, `A.` → A; `tie`, ` Tie` → tie.
    static func choice(_ token: String) -> Choice? {
        switch normalized(token).lowercased() {
        case "a": .a
        case "b": .b
        case "tie": .tie
        default: nil
        }
    }

    /// The token without surrounding whitespace, markup and punctuation (and without the word-start marks
    /// `▁`/`Ġ` some servers leave in token text).
    static func normalized(_ token: String) -> String {
        token.trimmingCharacters(in: trimmed)
    }

    private static let trimmed = CharacterSet.whitespacesAndNewlines
        .union(CharacterSet(charactersIn: "*_`\"'()[]{}<>:.,;!#-\u{2581}\u{0120}"))

    private static func quoted(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count <= 60 ? "\"\(flat)\"" : "\"\(flat.prefix(60))…\""
    }
}
