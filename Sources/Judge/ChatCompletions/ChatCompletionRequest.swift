import Foundation

/// One chat-completions call, as sent to an OpenAI-compatible `POST …/chat/completions`.
///
/// Encodes with the wire's snake_case keys; `nil` fields are left out of the body, so servers that
/// reject unknown or unsupported parameters (llama.cpp's server, older vLLM) see only what was asked.
///
/// ```swift
/// let request = ChatCompletionRequest(model: "gpt-4", messages: [.system("Be fair."), .user(prompt)],
///                                     temperature: 0, maxTokens: 1024, seed: 7)
/// ```
public struct ChatCompletionRequest: Sendable, Hashable, Encodable {
    public var model: String
    public var messages: [Message]
    /// 0 for judging: the same prompt should give the same verdict.
    public var temperature: Double?
    public var maxTokens: Int?
    public var seed: Int?
    public var logprobs: Bool?
    /// How many alternatives per token (OpenAI: 0…20); only meaningful with `logprobs: true`.
    public var topLogprobs: Int?
    public var stop: [String]?

    public init(
        model: String,
        messages: [Message],
        temperature: Double? = 0,
        maxTokens: Int? = nil,
        seed: Int? = nil,
        logprobs: Bool? = nil,
        topLogprobs: Int? = nil,
        stop: [String]? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.stop = stop
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, seed, logprobs, stop
        case maxTokens = "max_tokens"
        case topLogprobs = "top_logprobs"
    }

    // MARK: - Messages

    /// One turn of the conversation.
    public struct Message: Sendable, Hashable, Codable {
        public var role: Role
        public var content: String

        public init(role: Role, content: String) {
            self.role = role
            self.content = content
        }

        public static func system(_ content: String) -> Message { Message(role: .system, content: content) }
        public static func user(_ content: String) -> Message { Message(role: .user, content: content) }
        public static func assistant(_ content: String) -> Message { Message(role: .assistant, content: content) }
    }

    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }
}
