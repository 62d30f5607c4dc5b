// MARK: - ChatCompletionResponse

/// A whole (not streamed) chat completion, `chat.completion`: what the server and the test server write
/// (``json``) and the client reads (`Decodable`).
///
/// Reading takes only what a client uses and tolerates what other servers leave out: only `choices` is
/// required; `id`, `created`, `model`, `usage`, a choice's `message`, `logprobs` and `finish_reason` may be
/// missing or `null`. Writing follows OpenAI's field order and `null`s, so the official clients parse it.
public struct ChatCompletionResponse: Sendable, Hashable {
    /// "chatcmpl-…".
    public var id: String?
    /// Unix seconds.
    public var created: Int?
    /// The model that answered (may differ from the requested name, e.g. a dated snapshot).
    public var model: String?
    public var choices: [Choice]
    public var usage: ChatUsage?

    public init(id: String?, created: Int?, model: String?, choices: [Choice], usage: ChatUsage?) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    /// One answer (servers that generate one write exactly one, index 0).
    public struct Choice: Sendable, Hashable {
        public var index: Int
        /// The assistant message; nil when the server sent none.
        public var message: Message?
        /// Per-token log-probabilities, present only when asked for and given.
        public var logprobs: [ChatTokenLogprob]?
        /// `stop`, `length`, …; `length` means the reply was cut by `max_tokens` or the context.
        public var finishReason: String?

        public init(index: Int = 0, message: Message?, logprobs: [ChatTokenLogprob]? = nil, finishReason: String?) {
            self.index = index
            self.message = message
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }
    }

    /// The assistant's message; `content` is nil when the server sent `null`.
    public struct Message: Sendable, Hashable, Decodable {
        public var content: String?

        public init(content: String?) { self.content = content }
    }

    enum CodingKeys: String, CodingKey {
        case id, created, model, choices, usage
    }
}

// MARK: - Reading

extension ChatCompletionResponse: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        created = try container.decodeIfPresent(Int.self, forKey: .created)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        choices = try container.decode([Choice].self, forKey: .choices)
        usage = try container.decodeIfPresent(ChatUsage.self, forKey: .usage)
    }
}

extension ChatCompletionResponse.Choice: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
        message = try container.decodeIfPresent(ChatCompletionResponse.Message.self, forKey: .message)
        logprobs = try ChatTokenLogprob.decodeChoiceLogprobs(from: container, forKey: .logprobs)
        finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
    }
}

// MARK: - Writing

extension ChatCompletionResponse {
    /// The body, in OpenAI's order: `id`, `object`, `created`, `model`, `choices`, `usage`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", JSONValue(id)), ("object", "chat.completion"), ("created", JSONValue(created)), ("model", JSONValue(model)),
            ("choices", .array(choices.map(\.json))),
        ]
        if let usage { members.append(("usage", usage.json)) }
        return JSONValue.object([]) + members
    }
}

extension ChatCompletionResponse.Choice {
    var json: JSONValue {
        [
            "index": .integer(index),
            "message": message.map { ["role": "assistant", "content": JSONValue($0.content), "refusal": .null] } ?? .null,
            "logprobs": ChatTokenLogprob.choiceJSON(logprobs),
            "finish_reason": JSONValue(finishReason),
        ]
    }
}
