import OpenAIWire

/// Anything that answers chat-completion requests: the HTTP client, the embedded local judge, a test fake.
///
/// The judging run depends on this protocol only, so it can be driven without a network.
/// Implementations must be safe to call from many tasks at once.
public protocol ChatCompleting: Sendable {
    /// Sends one request (retrying transient failures as the implementation sees fit) and returns the reply.
    ///
    /// - Throws: ``ChatCompletionsError``; `CancellationError` when the calling task is cancelled.
    func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion
}
