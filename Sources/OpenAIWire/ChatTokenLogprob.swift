// MARK: - ChatTokenLogprob

/// One generated token with its log-probability and the most likely alternatives at its position: an entry
/// of `choices[0].logprobs.content`, in replies and chunks alike.
public struct ChatTokenLogprob: Sendable, Hashable {
    /// The token's text (a token that holds part of a UTF-8 character shows U+FFFD; ``bytes`` keeps it exact).
    public var token: String
    /// Natural log of the token's probability; OpenAI writes -9999 for "impossible", and so do we.
    public var logprob: Double
    /// The token's raw bytes; nil when the server sent `null` (or none).
    public var bytes: [UInt8]?
    public var topLogprobs: [Alternative]

    public init(token: String, logprob: Double, bytes: [UInt8]? = nil, topLogprobs: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.bytes = bytes
        self.topLogprobs = topLogprobs
    }

    /// One of the most likely tokens at a position.
    public struct Alternative: Sendable, Hashable {
        public var token: String
        public var logprob: Double
        public var bytes: [UInt8]?

        public init(token: String, logprob: Double, bytes: [UInt8]? = nil) {
            self.token = token
            self.logprob = logprob
            self.bytes = bytes
        }
    }

    enum CodingKeys: String, CodingKey {
        case token, logprob, bytes
        case topLogprobs = "top_logprobs"
    }
}

// MARK: - JSON

extension ChatTokenLogprob: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        token = try container.decode(String.self, forKey: .token)
        logprob = try container.decode(Double.self, forKey: .logprob)
        bytes = try container.decodeIfPresent([UInt8].self, forKey: .bytes)
        topLogprobs = try container.decodeIfPresent([Alternative].self, forKey: .topLogprobs) ?? []
    }

    /// `{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}`.
    public var json: JSONValue {
        Self.entry(token: token, logprob: logprob, bytes: bytes) + [
            (CodingKeys.topLogprobs.rawValue, .array(topLogprobs.map { Self.entry(token: $0.token, logprob: $0.logprob, bytes: $0.bytes) })),
        ]
    }

    /// A non-finite log-probability is written as -9999, as OpenAI does.
    private static func entry(token: String, logprob: Double, bytes: [UInt8]?) -> JSONValue {
        [
            CodingKeys.token.rawValue: .string(token),
            CodingKeys.logprob.rawValue: .number(logprob.isFinite ? logprob : -9999),
            CodingKeys.bytes.rawValue: bytes.map { .array($0.map { .integer(Int($0)) }) } ?? .null,
        ]
    }

    /// The `logprobs` member of a choice: `{"content": [...], "refusal": null}`, or `null` when not asked for.
    static func choiceJSON(_ tokens: [ChatTokenLogprob]?) -> JSONValue {
        guard let tokens else { return .null }
        return ["content": .array(tokens.map(\.json)), "refusal": .null]
    }

    /// Reads a choice's `logprobs` (`null`, or an object whose `content` may be `null`).
    static func decodeChoiceLogprobs<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) throws
        -> [ChatTokenLogprob]?
    {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        let logprobs = try container.nestedContainer(keyedBy: LogprobsKeys.self, forKey: key)
        return try logprobs.decodeIfPresent([ChatTokenLogprob].self, forKey: .content)
    }

    private enum LogprobsKeys: String, CodingKey {
        case content
    }
}

extension ChatTokenLogprob.Alternative: Decodable {}

// MARK: - Usage

/// Token counts of one completion (`usage`).
public struct ChatUsage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// `{"prompt_tokens", "completion_tokens", "total_tokens"}`.
    public var json: JSONValue {
        [CodingKeys.promptTokens.rawValue: .integer(promptTokens), CodingKeys.completionTokens.rawValue: .integer(completionTokens),
         CodingKeys.totalTokens.rawValue: .integer(promptTokens + completionTokens)]
    }
}

extension ChatUsage: Decodable {
    /// A missing count reads as 0 (some servers leave one out).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        completionTokens = try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
    }
}
