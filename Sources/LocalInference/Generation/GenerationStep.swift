// MARK: - GenerationStep

/// One generated token and the text it releases.
///
/// Text and tokens do not line up one to one: a token may end mid-character, or start what could be a
/// stop string, and its text then comes out with a later step (or never, when the stop string completes).
public struct GenerationStep: Sendable, Equatable {
    /// The sampled token (the end-of-generation token on the last step when the model ended the text).
    public let token: Int32
    /// The text released at this step; often empty.
    public let text: String
    /// The sampled token's log-probability and the top alternatives, when requested.
    public let logprobs: StepLogprobs?
    /// Set on the last step only.
    public let finishReason: FinishReason?
}

// MARK: - StepLogprobs

/// Log-probabilities at one step, under the model's own distribution (before penalty, filters and temperature).
public struct StepLogprobs: Sendable, Equatable {
    public let chosen: TokenLogprob
    /// Most likely first; as many as `GenerationParameters.topLogprobs` asked for.
    public let top: [TokenLogprob]
}

// MARK: - Completion

/// A whole completion, for callers that do not stream.
public struct Completion: Sendable, Equatable {
    public let text: String
    /// Every sampled token, the end-of-generation token included when it ended the text.
    public let tokens: [Int32]
    public let finishReason: FinishReason
    public let promptTokenCount: Int
    /// `tokens.count`: what the OpenAI API reports as completion tokens.
    public var completionTokenCount: Int { tokens.count }
    /// One entry per token when log-probabilities were requested, else empty.
    public let logprobs: [StepLogprobs]
}
