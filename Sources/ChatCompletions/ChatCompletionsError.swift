/// Why a chat-completions call failed.
///
/// The judging run records non-fatal errors against the comparison and goes on; a fatal error
/// (``isFatal``) means every further call would fail the same way, so the run stops scheduling
/// and prints ``description``. No case ever carries the API key.
/// Task cancellation is not a case: it surfaces as `CancellationError`.
public enum ChatCompletionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server refused the request (400, 401, 403, 404, 413, 422, …): retrying cannot help.
    case rejected(status: Int, message: String)
    /// A transient failure (429, 5xx, timeout, dropped connection) outlasted every attempt of the retry policy.
    case retriesExhausted(last: String)
    /// The server answered 2xx but the body is not a chat completion (bad or truncated JSON, no choices).
    case malformedReply(String)
    /// The one attempt timed out (only thrown directly when the policy allows a single attempt).
    case timedOut
    /// The one attempt failed in transport: refused or dropped connection, DNS, TLS (single-attempt policy).
    case transport(String)
    /// The endpoint cannot be used at all: TLS failed (untrusted certificate, wrong host name), the URL's
    /// scheme is not HTTP(S), the server sends absurdly large bodies. Every call would fail the same way.
    case unusableEndpoint(String)
    /// Calls have kept failing after retries; the client refuses new calls so the run can stop and say why.
    case failuresPersist(String)
    /// The server refused this request because its prompt does not fit the model's context (HTTP 400 with
    /// OpenAI's code `context_length_exceeded`, or vLLM's "maximum context length"). Only this comparison
    /// is affected, so the run goes on.
    case promptTooLong(String)

    /// True when the run should stop scheduling new calls.
    public var isFatal: Bool {
        switch self {
        case .rejected, .unusableEndpoint, .failuresPersist: true
        case .retriesExhausted, .malformedReply, .timedOut, .transport, .promptTooLong: false
        }
    }

    /// True for ``promptTooLong(_:)``: the comparison, not the judge, is at fault.
    public var isPromptTooLong: Bool {
        if case .promptTooLong = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .rejected(let status, let message):
            let hint = switch status {
            case 401: " (check that the API key environment variable is set and valid)"
            case 403: " (the key is not allowed to use this model or endpoint)"
            case 404: " (check the judge URL and model name)"
            default: ""
            }
            return "the judge server rejected the request with HTTP \(status): \(message)\(hint)"
        case .retriesExhausted(let last):
            return "the judge call still failed after all retries; last failure: \(last)"
        case .malformedReply(let detail):
            return "the judge server's reply is not a valid chat completion: \(detail)"
        case .timedOut:
            return "the judge call timed out (raise the timeout or lower --concurrency)"
        case .transport(let detail):
            return "the judge call failed in transport: \(detail)"
        case .unusableEndpoint(let detail):
            return "the judge endpoint cannot be used: \(detail) (check the judge URL: scheme, host name, certificate)"
        case .failuresPersist(let why):
            return "stopped calling the judge because failures persist: \(why)"
        case .promptTooLong(let message):
            return "the prompt does not fit in the judge's context: \(message) (use shorter outputs, a judge with a longer context, or a shorter template)"
        }
    }
}
