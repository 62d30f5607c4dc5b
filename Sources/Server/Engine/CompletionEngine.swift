import OpenAIWire

// MARK: - CompletionEngine

/// The model side of the server: what the scheduler drives, one token per sequence per step.
///
/// The scheduler owns admission, queueing and cancellation; the engine owns the model. `step(_:)` receives
/// every running sequence at once, so an engine with a batched kernel can evaluate them in one pass; the
/// plain engine evaluates them one after another. The calls other than `prepare(_:)` come from the
/// scheduler's one thread, so an engine needs no locking of its own state.
///
/// ```swift
/// let prepared = try engine.prepare(request)            // any thread
/// let sequence = try engine.makeSequence(for: prepared) // scheduler thread, from here on
/// let steps = engine.step([sequence])                   // one token (the first step also reads the prompt)
/// engine.retire(sequence)
/// ```
public protocol CompletionEngine: AnyObject, Sendable {
    /// The name `GET /v1/models` lists and replies carry when a request names no model.
    var modelID: String { get }
    /// The most tokens (prompt + completion) one sequence can hold.
    var contextLength: Int { get }
    /// Renders the messages with the model's chat template and tokenizes them. Called on request tasks,
    /// concurrently: it must only read shared state.
    func prepare(_ request: CompletionRequest) throws -> PreparedCompletion
    /// Starts a sequence for a prepared prompt (its prompt is evaluated by its first `step`).
    func makeSequence(for prepared: PreparedCompletion) throws -> any GenerationSequence
    /// Advances every sequence by one token; the results are in the order of `batch`. A sequence that
    /// reported a finish reason is not stepped again.
    func step(_ batch: [any GenerationSequence]) -> [Result<SequenceStep, Error>]
    /// Releases what a sequence holds (its KV cache); called once per sequence, finished or cancelled.
    func retire(_ sequence: any GenerationSequence)
}

/// A running generation; what it holds is the engine's business.
public protocol GenerationSequence: AnyObject {}

// MARK: - Requests

/// What to generate, validated: the messages and how to sample.
public struct CompletionRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    public var settings: GenerationSettings

    public init(messages: [ChatMessage], settings: GenerationSettings) {
        self.messages = messages
        self.settings = settings
    }
}

/// How to sample, with OpenAI's defaults (sample from the whole distribution at temperature 1) and
/// llama.cpp's extensions (`top_k`, `min_p`, `repeat_penalty`) off unless asked for.
public struct GenerationSettings: Sendable, Equatable {
    /// The most completion tokens; nil: until the end of the context.
    public var maxTokens: Int?
    /// 0 is greedy.
    public var temperature: Double = 1
    public var topP: Double = 1
    /// 0 keeps every token.
    public var topK: Int = 0
    /// 0 keeps every token.
    public var minP: Double = 0
    /// 1 is off.
    public var repeatPenalty: Double = 1
    /// The same seed, prompt and settings give the same text.
    public var seed: UInt64 = 0
    /// Generation ends before the first of these; none of it is returned.
    public var stop: [String] = []
    /// How many alternatives to report per token (0…20); nil: no log-probabilities at all.
    public var topLogprobs: Int?

    public init() {}
}

/// A prompt rendered and tokenized, ready for the scheduler.
public struct PreparedCompletion: Sendable {
    public var promptTokens: [Int32]
    public var settings: GenerationSettings

    public init(promptTokens: [Int32], settings: GenerationSettings) {
        self.promptTokens = promptTokens
        self.settings = settings
    }
}

// MARK: - Steps

/// What one step produced for one sequence.
public struct SequenceStep: Sendable, Equatable {
    /// The token sampled in this step; nil when the step only ended the sequence.
    public var token: GeneratedToken?
    /// Text released by this step: may lag the tokens (text that could begin a stop string is held back
    /// until it is settled) and never contains any part of a stop string.
    public var text: String
    /// Set on the sequence's last step.
    public var finishReason: FinishReason?
    /// Completion tokens generated so far (this step's included).
    public var completionTokens: Int

    public init(token: GeneratedToken?, text: String, finishReason: FinishReason?, completionTokens: Int) {
        self.token = token
        self.text = text
        self.finishReason = finishReason
        self.completionTokens = completionTokens
    }
}

/// A sampled token with what `logprobs` reports about it.
public struct GeneratedToken: Sendable, Equatable {
    public var id: Int32
    /// The token's text as raw bytes (a token may hold part of a UTF-8 character).
    public var bytes: [UInt8]
    /// Natural log of its probability under the model (before temperature and filters); nil unless asked.
    public var logprob: Float?
    /// The most likely tokens at this position, most likely first; empty unless asked.
    public var topAlternatives: [TokenAlternative]

    public init(id: Int32, bytes: [UInt8], logprob: Float? = nil, topAlternatives: [TokenAlternative] = []) {
        self.id = id
        self.bytes = bytes
        self.logprob = logprob
        self.topAlternatives = topAlternatives
    }
}

/// One of the alternatives at a position.
public struct TokenAlternative: Sendable, Equatable {
    public var id: Int32
    public var bytes: [UInt8]
    public var logprob: Float

    public init(id: Int32, bytes: [UInt8], logprob: Float) {
        self.id = id
        self.bytes = bytes
        self.logprob = logprob
    }
}

/// Why a sequence ended, with OpenAI's names.
public enum FinishReason: String, Sendable, Equatable {
    /// The model ended its turn, or a stop string was reached.
    case stop
    /// `max_tokens` or the end of the context was reached.
    case length
}
