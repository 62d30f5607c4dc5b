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
    /// Nucleus sampling (OpenAI, vLLM, llama.cpp's server, ours).
    public var topP: Double?
    /// Sample among the K most likely tokens (vLLM, llama.cpp's server, ours; OpenAI rejects it).
    public var topK: Int?
    /// Drop tokens below this fraction of the top one's probability (vLLM, llama.cpp's server, ours).
    public var minP: Double?
    /// llama.cpp's (and our server's) repetition penalty, 1 = off. vLLM calls it `repetition_penalty`.
    public var repeatPenalty: Double?

    public init(
        model: String,
        messages: [Message],
        temperature: Double? = 0,
        maxTokens: Int? = nil,
        seed: Int? = nil,
        logprobs: Bool? = nil,
        topLogprobs: Int? = nil,
        stop: [String]? = nil,
        topP: Double? = nil,
        topK: Int? = nil,
        minP: Double? = nil,
        repeatPenalty: Double? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.stop = stop
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repeatPenalty = repeatPenalty
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, seed, logprobs, stop
        case maxTokens = "max_tokens"
        case topLogprobs = "top_logprobs"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
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
