import Foundation
import HTTP
import OpenAIWire

/// The judge over HTTP: an OpenAI-compatible `POST {baseURL}/chat/completions` client with retries.
///
/// ```swift
/// let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 8))
/// let judge = ChatCompletionsClient(baseURL: URL(string: "https://api.openai.com/v1")!, http: http)
/// let reply = try await judge.complete(ChatCompletionRequest(model: "gpt-4o", messages: [.user(prompt)]))
/// ```
///
/// Works with OpenAI, Azure OpenAI (``APIStyle/azure(apiVersion:)``: `api-key` header and `api-version`
/// query; the base URL is the deployment, `https://RESOURCE.openai.azure.com/openai/deployments/NAME`),
/// vLLM and llama.cpp's server. The API key is read once, from the environment variable named by
/// `apiKeyEnvironmentVariable`; when that variable is unset or empty no key is sent (local servers need
/// none; a server that does answers 401). The key never appears in errors, descriptions or mirrors.
///
/// Failures, per call: 429, 408, 409, 425, 5xx, timeouts and dropped or refused connections are retried
/// under ``RetryPolicy`` (honouring `Retry-After`); other 4xx throw ``ChatCompletionsError/rejected(status:message:)``
/// at once with the server's message; TLS failures and non-HTTP URLs throw
/// ``ChatCompletionsError/unusableEndpoint(_:)`` at once; a 2xx body that is not a chat completion throws
/// ``ChatCompletionsError/malformedReply(_:)``. Across calls: after `failureLimit` calls in a row end in
/// exhausted retries or transport failure, every further call throws ``ChatCompletionsError/failuresPersist(_:)``
/// (fatal), so the run stops scheduling and says why. Values of this type share that state.
public struct ChatCompletionsClient: ChatCompleting, CustomStringConvertible, CustomReflectable {
    /// How the endpoint wants the key and the URL.
    public enum APIStyle: Sendable, Hashable {
        /// `Authorization: Bearer KEY` (OpenAI, vLLM, llama.cpp's server, most proxies).
        case openAI
        /// `api-key: KEY` and `?api-version=VERSION` (Azure OpenAI).
        case azure(apiVersion: String)
    }

    public let baseURL: URL
    public let apiKeyEnvironmentVariable: String?
    public let style: APIStyle
    public let retry: RetryPolicy
    /// Total time per attempt; `nil` uses the HTTP client's.
    public let timeout: Duration?
    private let http: HTTPClient
    private let apiKey: String?
    private let endpoint: URL
    private let breaker: FailureBreaker

    /// - Parameters:
    ///   - environment: where the key is looked up (tests pass their own).
    ///   - failureLimit: consecutive failed calls (after retries) before every call fails fast with `failuresPersist`.
    public init(
        baseURL: URL,
        apiKeyEnvironmentVariable: String? = "OPENAI_API_KEY",
        http: HTTPClient,
        retry: RetryPolicy = RetryPolicy(),
        style: APIStyle = .openAI,
        timeout: Duration? = nil,
        failureLimit: Int = 5,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.baseURL = baseURL
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.http = http
        self.retry = retry
        self.style = style
        self.timeout = timeout
        let key = apiKeyEnvironmentVariable.flatMap { environment[$0] }?.trimmingCharacters(in: .whitespacesAndNewlines)
        apiKey = (key?.isEmpty ?? true) ? nil : key
        endpoint = Self.endpoint(baseURL: baseURL, style: style)
        breaker = FailureBreaker(limit: failureLimit)
    }

    /// True when a key was found in the environment (the key itself is never exposed).
    public var hasAPIKey: Bool { apiKey != nil }

    public var description: String {
        let key = apiKeyEnvironmentVariable.map { "$\($0) \(apiKey == nil ? "unset" : "set")" } ?? "no key"
        return "ChatCompletionsClient(\(endpoint.absoluteString), \(key))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint, "apiKeyEnvironmentVariable": apiKeyEnvironmentVariable as Any,
                                "style": style], displayStyle: .struct)
    }

    // MARK: - Calls

    public func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion {
        if let why = breaker.openReason { throw ChatCompletionsError.failuresPersist(why) }
        let httpRequest = try makeHTTPRequest(request)
        var lastFailure = ""
        var lastTransportError: HTTPError?
        for attempt in 1...retry.maxAttempts {
            try Task.checkCancellation()
            var retryAfter: String?
            let started = ContinuousClock.now
            do {
                let response = try await http.send(httpRequest)
                let latency = ContinuousClock.now - started
                lastTransportError = nil
                switch response.status {
                case 200..<300:
                    breaker.recordSuccess()
                    return try Self.decodeCompletion(response.body, latency: latency)
                case 408, 409, 425, 429, 500...599:
                    retryAfter = response.headers["Retry-After"]
                    lastFailure = "HTTP \(response.status): \(redacted(Self.errorMessage(in: response)))"
                default:
                    breaker.recordSuccess()  // the server is up and answering; the request is what is wrong
                    if Self.isContextOverflow(response) {
                        throw ChatCompletionsError.promptTooLong(redacted(Self.errorMessage(in: response)))
                    }
                    throw ChatCompletionsError.rejected(status: response.status, message: redacted(Self.errorMessage(in: response)))
                }
            } catch let error as HTTPError {
                guard error.isTransient else { throw ChatCompletionsError.unusableEndpoint(error.description) }
                lastFailure = error.description
                lastTransportError = error
            }
            if attempt < retry.maxAttempts {
                try await retry.sleep(retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
            }
        }
        breaker.recordFailure(lastFailure)
        if retry.maxAttempts == 1, let lastTransportError {
            throw lastTransportError.kind == .timedOut ? ChatCompletionsError.timedOut
                : ChatCompletionsError.transport(lastTransportError.description)
        }
        let attempts = retry.maxAttempts == 1 ? "1 attempt" : "\(retry.maxAttempts) attempts"
        throw ChatCompletionsError.retriesExhausted(last: "\(lastFailure) (\(attempts))")
    }

    // MARK: - Request

    private func makeHTTPRequest(_ request: ChatCompletionRequest) throws -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(request)
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        if let apiKey {
            switch style {
            case .openAI: headers["Authorization"] = "Bearer \(apiKey)"
            case .azure: headers["api-key"] = apiKey
            }
        }
        return HTTPRequest(method: .post, url: endpoint, headers: headers, body: body, timeout: timeout)
    }

    static func endpoint(baseURL: URL, style: APIStyle) -> URL {
        let url = baseURL.appendingPathComponent("chat").appendingPathComponent("completions")
        guard case .azure(let version) = style,
              var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "api-version", value: version)]
        return components.url ?? url
    }

    /// Removes the key from text a server sent back (some echo a rejected key).
    private func redacted(_ text: String) -> String {
        guard let apiKey else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[redacted]")
    }
}

// MARK: - Persisting failures

/// Counts calls in a row that failed after retries; at `limit` it opens for good, with the reason.
final class FailureBreaker: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var consecutive = 0
    private var reason: String?

    init(limit: Int) { self.limit = max(1, limit) }

    var openReason: String? { lock.withLock { reason } }

    func recordSuccess() {
        lock.withLock { if reason == nil { consecutive = 0 } }
    }

    func recordFailure(_ last: String) {
        lock.withLock {
            consecutive += 1
            if reason == nil, consecutive >= limit {
                reason = "\(consecutive) judge calls in a row failed after retrying; the last one: \(last)"
            }
        }
    }
}
