import Foundation

/// The judge's reply to one ``ChatCompletionRequest``: the first choice, its usage and timing.
public struct ChatCompletion: Sendable, Hashable {
    /// The assistant message's text (an empty string when the server sent `null` content).
    public var content: String
    /// `stop`, `length`, … as the server reported it; `length` means the reply was cut by `max_tokens`.
    public var finishReason: String?
    public var usage: Usage?
    /// Per-token log-probabilities, present only when the request asked for them and the server gave them.
    public var logprobs: [TokenLogprob]?
    /// The model the server says answered (may differ from the requested name, e.g. a dated snapshot).
    public var model: String?
    /// Wall-clock time of the successful attempt, request sent to body received (retries not included).
    public var latency: Duration
    /// The response body exactly as received, kept so a verdict can be re-parsed later.
    public var rawBody: String

    public init(
        content: String,
        finishReason: String? = nil,
        usage: Usage? = nil,
        logprobs: [TokenLogprob]? = nil,
        model: String? = nil,
        latency: Duration = .zero,
        rawBody: String = ""
    ) {
        self.content = content
        self.finishReason = finishReason
        self.usage = usage
        self.logprobs = logprobs
        self.model = model
        self.latency = latency
        self.rawBody = rawBody
    }

    /// `latency` in seconds, for storing as a plain number.
    public var latencySeconds: Double {
        let (seconds, attoseconds) = latency.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    // MARK: - Usage and log-probabilities

    /// Token counts the server billed for this call.
    public struct Usage: Sendable, Hashable {
        public var promptTokens: Int
        public var completionTokens: Int

        public init(promptTokens: Int, completionTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }
    }

    /// One generated token with its log-probability and the most likely alternatives at that position.
    public struct TokenLogprob: Sendable, Hashable {
        public var token: String
        public var logprob: Double
        public var topLogprobs: [Alternative]

        public init(token: String, logprob: Double, topLogprobs: [Alternative] = []) {
            self.token = token
            self.logprob = logprob
            self.topLogprobs = topLogprobs
        }

        public struct Alternative: Sendable, Hashable {
            public var token: String
            public var logprob: Double

            public init(token: String, logprob: Double) {
                self.token = token
                self.logprob = logprob
            }
        }
    }
}
