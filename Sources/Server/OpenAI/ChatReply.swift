import Foundation

// MARK: - ChatReply

/// Builds the JSON of one chat completion, whole (`chat.completion`) or in chunks (`chat.completion.chunk`),
/// in OpenAI's shapes, so the official clients parse it unchanged.
struct ChatReply {
    /// "chatcmpl-…", shared by every chunk of one completion.
    let id: String
    /// Unix seconds.
    let created: Int
    /// The model name echoed back.
    let model: String

    init(model: String, id: String = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
         created: Int = Int(Date().timeIntervalSince1970)) {
        self.id = id
        self.created = created
        self.model = model
    }

    // MARK: - Whole

    /// The plain (non-streamed) reply.
    func completion(text: String, finishReason: FinishReason, tokens: [GeneratedToken]?, usage: Usage) -> JSONValue {
        header(object: "chat.completion") + [
            ("choices", [[
                "index": 0,
                "message": ["role": "assistant", "content": .string(text), "refusal": .null],
                "logprobs": tokens.map(Self.logprobs) ?? .null,
                "finish_reason": .string(finishReason.rawValue),
            ]]),
            ("usage", usage.json),
        ]
    }

    // MARK: - Chunks

    /// The first chunk: the role, no text yet.
    func roleChunk(includeUsage: Bool) -> JSONValue {
        chunk(delta: ["role": "assistant", "content": ""], tokens: nil, finishReason: nil, includeUsage: includeUsage)
    }

    /// A chunk with text and/or the tokens generated since the last one.
    func contentChunk(text: String, tokens: [GeneratedToken]?, includeUsage: Bool) -> JSONValue {
        chunk(delta: ["content": .string(text)], tokens: tokens, finishReason: nil, includeUsage: includeUsage)
    }

    /// The chunk that ends the choice: an empty delta and the finish reason.
    func finishChunk(_ reason: FinishReason, includeUsage: Bool) -> JSONValue {
        chunk(delta: [:], tokens: nil, finishReason: reason, includeUsage: includeUsage)
    }

    /// `stream_options.include_usage`'s last chunk: no choices, the usage.
    func usageChunk(_ usage: Usage) -> JSONValue {
        header(object: "chat.completion.chunk") + [("choices", []), ("usage", usage.json)]
    }

    private func chunk(delta: JSONValue, tokens: [GeneratedToken]?, finishReason: FinishReason?, includeUsage: Bool) -> JSONValue {
        var members = header(object: "chat.completion.chunk") + [
            ("choices", [[
                "index": 0,
                "delta": delta,
                "logprobs": tokens.map(Self.logprobs) ?? .null,
                "finish_reason": JSONValue(finishReason?.rawValue),
            ]]),
        ]
        if includeUsage { members = members + [("usage", .null)] }
        return members
    }

    private func header(object: String) -> JSONValue {
        ["id": .string(id), "object": .string(object), "created": .integer(created), "model": .string(model)]
    }

    // MARK: - Log-probabilities

    /// `{"content": [{"token", "logprob", "bytes", "top_logprobs": [...]}], "refusal": null}`.
    static func logprobs(_ tokens: [GeneratedToken]) -> JSONValue {
        ["content": .array(tokens.map { token in
            entry(bytes: token.bytes, logprob: token.logprob ?? 0) + [
                ("top_logprobs", .array(token.topAlternatives.map { entry(bytes: $0.bytes, logprob: $0.logprob) })),
            ]
        }), "refusal": .null]
    }

    /// A token's text (invalid UTF-8 — part of a character — shows as U+FFFD; `bytes` keeps it exact)
    /// and log-probability (OpenAI writes -9999 for "impossible").
    private static func entry(bytes: [UInt8], logprob: Float) -> JSONValue {
        [
            "token": .string(String(decoding: bytes, as: UTF8.self)),
            "logprob": .number(logprob.isFinite ? Double(logprob) : -9999),
            "bytes": .array(bytes.map { .integer(Int($0)) }),
        ]
    }

    // MARK: - Usage

    struct Usage: Equatable {
        var promptTokens: Int
        var completionTokens: Int

        var json: JSONValue {
            ["prompt_tokens": .integer(promptTokens), "completion_tokens": .integer(completionTokens),
             "total_tokens": .integer(promptTokens + completionTokens)]
        }
    }
}

// MARK: - Appending members

/// Appends members to an object (replies are assembled from a shared header and their own parts).
private func + (object: JSONValue, more: [(String, JSONValue)]) -> JSONValue {
    guard case let .object(members) = object else { preconditionFailure("not an object") }
    return .object(members + more.map { (key: $0.0, value: $0.1) })
}
