import Foundation
import OpenAIWire

// MARK: - ChatReply

/// Builds the JSON of one completion of ours, whole (``ChatCompletionResponse``) or in chunks
/// (``ChatCompletionChunk``), from what the engine generated.
struct ChatReply {
    /// "chatcmpl-…", shared by every chunk of one completion.
    let id: String
    /// Unix seconds.
    let created: Int
    /// The model name echoed back.
    let model: String

    typealias Usage = ChatUsage

    init(model: String, id: String = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
         created: Int = Int(Date().timeIntervalSince1970)) {
        self.id = id
        self.created = created
        self.model = model
    }

    // MARK: - Whole

    /// The plain (non-streamed) reply.
    func completion(text: String, finishReason: FinishReason, tokens: [GeneratedToken]?, usage: Usage) -> JSONValue {
        ChatCompletionResponse(
            id: id, created: created, model: model,
            choices: [.init(message: .init(content: text), logprobs: tokens.map(Self.logprobs), finishReason: finishReason.rawValue)],
            usage: usage
        ).json
    }

    // MARK: - Chunks

    /// The first chunk: the role, no text yet.
    func roleChunk(includeUsage: Bool) -> JSONValue {
        chunk(.init(delta: .init(role: "assistant", content: "")), includeUsage: includeUsage)
    }

    /// A chunk with text and/or the tokens generated since the last one.
    func contentChunk(text: String, tokens: [GeneratedToken]?, includeUsage: Bool) -> JSONValue {
        chunk(.init(delta: .init(content: text), logprobs: tokens.map(Self.logprobs)), includeUsage: includeUsage)
    }

    /// The chunk that ends the choice: an empty delta and the finish reason.
    func finishChunk(_ reason: FinishReason, includeUsage: Bool) -> JSONValue {
        chunk(.init(delta: .init(), finishReason: reason.rawValue), includeUsage: includeUsage)
    }

    /// `stream_options.include_usage`'s last chunk: no choices, the usage.
    func usageChunk(_ usage: Usage) -> JSONValue {
        ChatCompletionChunk(id: id, created: created, model: model, choices: [], usage: .value(usage)).json
    }

    private func chunk(_ choice: ChatCompletionChunk.Choice, includeUsage: Bool) -> JSONValue {
        ChatCompletionChunk(id: id, created: created, model: model, choices: [choice], usage: includeUsage ? .null : .omitted).json
    }

    // MARK: - Log-probabilities

    /// A token's text (invalid UTF-8 — part of a character — shows as U+FFFD; `bytes` keeps it exact), its
    /// log-probability and its alternatives.
    static func logprobs(_ tokens: [GeneratedToken]) -> [ChatTokenLogprob] {
        tokens.map { token in
            ChatTokenLogprob(
                token: String(decoding: token.bytes, as: UTF8.self), logprob: Double(token.logprob ?? 0), bytes: token.bytes,
                topLogprobs: token.topAlternatives.map {
                    .init(token: String(decoding: $0.bytes, as: UTF8.self), logprob: Double($0.logprob), bytes: $0.bytes)
                })
        }
    }
}
