import Foundation

/// One chat-completions call, the body of an OpenAI-compatible `POST …/chat/completions`.
///
/// The client encodes it with the wire's snake_case keys; `nil` fields are left out of the body, so servers
/// that reject unknown or unsupported parameters (llama.cpp's server, older vLLM) see only what was asked.
/// The server reads it with ``init(validating:)``, which throws OpenAI's 400 for the first thing wrong.
///
/// ```swift
/// let request = ChatCompletionRequest(model: "gpt-4", messages: [.system("Be fair."), .user(prompt)],
///                                     temperature: 0, maxTokens: 1024, seed: 7)
/// ```
public struct ChatCompletionRequest: Sendable, Hashable, Encodable {
    /// The model to answer; a server that serves one model accepts a request that names none.
    public var model: String?
    public var messages: [ChatMessage]
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
    /// Answer as server-sent events (`chat.completion.chunk`s, then `[DONE]`).
    public var stream: Bool?
    /// `stream_options`: only with `stream: true`.
    public var streamOptions: StreamOptions?

    /// What a streamed answer carries besides the text.
    public struct StreamOptions: Sendable, Hashable, Encodable {
        /// A last chunk with `usage` and no choices, before `[DONE]`.
        public var includeUsage: Bool?

        public init(includeUsage: Bool? = nil) { self.includeUsage = includeUsage }

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    public init(
        model: String?,
        messages: [ChatMessage],
        temperature: Double? = 0,
        maxTokens: Int? = nil,
        seed: Int? = nil,
        logprobs: Bool? = nil,
        topLogprobs: Int? = nil,
        stop: [String]? = nil,
        topP: Double? = nil,
        topK: Int? = nil,
        minP: Double? = nil,
        repeatPenalty: Double? = nil,
        stream: Bool? = nil,
        streamOptions: StreamOptions? = nil
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
        self.stream = stream
        self.streamOptions = streamOptions
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, seed, logprobs, stop, stream
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case topLogprobs = "top_logprobs"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
    }
}
