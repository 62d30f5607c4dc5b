// MARK: - ChatCompletionChunk

/// One server-sent event of a streamed completion, `chat.completion.chunk`: the first carries the role, the
/// next ones text and/or tokens, the last of a choice an empty delta and the finish reason, and — with
/// `stream_options.include_usage` — a final chunk with no choices and the usage.
///
/// ```swift
/// let chunk = ChatCompletionChunk(id: id, created: created, model: model,
///                                 choices: [.init(delta: .init(content: "Hi"))], usage: .omitted)
/// responder.sendEvent(chunk.json)
/// ```
public struct ChatCompletionChunk: Sendable, Hashable {
    /// Shared by every chunk of one completion.
    public var id: String
    /// Unix seconds.
    public var created: Int
    public var model: String
    /// One choice, or none in the usage chunk.
    public var choices: [Choice]
    public var usage: UsageField

    public init(id: String, created: Int, model: String, choices: [Choice], usage: UsageField) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    /// The `usage` member: absent unless the client asked for usage; then `null` in every chunk but the last.
    public enum UsageField: Sendable, Hashable {
        case omitted
        case null
        case value(ChatUsage)
    }

    public struct Choice: Sendable, Hashable {
        public var index: Int
        public var delta: Delta
        public var logprobs: [ChatTokenLogprob]?
        public var finishReason: String?

        public init(index: Int = 0, delta: Delta, logprobs: [ChatTokenLogprob]? = nil, finishReason: String? = nil) {
            self.index = index
            self.delta = delta
            self.logprobs = logprobs
            self.finishReason = finishReason
        }
    }

    /// What this chunk adds to the message; members that are nil are left out.
    public struct Delta: Sendable, Hashable {
        public var role: String?
        public var content: String?

        public init(role: String? = nil, content: String? = nil) {
            self.role = role
            self.content = content
        }
    }

    // MARK: - Writing

    /// The event's data, in OpenAI's order.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("object", "chat.completion.chunk"), ("created", .integer(created)), ("model", .string(model)),
            ("choices", .array(choices.map { choice in
                [
                    "index": .integer(choice.index),
                    "delta": JSONValue.object([]) + [("role", choice.delta.role), ("content", choice.delta.content)]
                        .compactMap { key, value in value.map { (key, JSONValue.string($0)) } },
                    "logprobs": ChatTokenLogprob.choiceJSON(choice.logprobs),
                    "finish_reason": JSONValue(choice.finishReason),
                ]
            })),
        ]
        switch usage {
        case .omitted: break
        case .null: members.append(("usage", .null))
        case .value(let usage): members.append(("usage", usage.json))
        }
        return JSONValue.object([]) + members
    }
}
