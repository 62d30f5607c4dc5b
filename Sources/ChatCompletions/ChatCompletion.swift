import Foundation
import OpenAIWire

/// The client's view of the reply to one ``ChatCompletionRequest``: the first choice of the
/// ``ChatCompletionResponse``, its usage, and what only the caller knows — the latency and the raw body.
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
    public typealias Usage = ChatUsage
    /// One generated token with its log-probability and the most likely alternatives at that position.
    public typealias TokenLogprob = ChatTokenLogprob
}
