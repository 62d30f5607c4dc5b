import Foundation

/// An async HTTP client on libcurl with many requests in flight.
///
/// ```swift
/// let client = HTTPClient(configuration: .init(maxConcurrentTransfers: 8))
/// let response = try await client.send(HTTPRequest(method: .post, url: url, body: json))
/// ```
///
/// One curl multi handle, driven by one dedicated event-loop thread (`curl_multi_poll`, woken by
/// `curl_multi_wakeup`), runs every transfer; connections are kept and reused across requests, HTTP/2 is
/// negotiated over TLS when the server offers it (and multiplexed), TLS peers and host names are verified.
/// At most `maxConcurrentTransfers` transfers run at once; further requests wait in FIFO order, and their
/// timeouts start only when they begin.
///
/// Thread safety: `HTTPClient` is `Sendable`; `send` may be called from any number of tasks at once. All curl
/// handles are touched only on the event-loop thread; callers talk to it through a locked command queue.
/// Cancelling the calling task removes its transfer at once and `send` throws `CancellationError`.
/// The thread and the multi handle are released when the client is deinitialized (no transfer can be
/// in flight then: every `send` keeps the client alive).
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Transfers running at once; the rest queue (`--concurrency`).
        public var maxConcurrentTransfers: Int
        public var connectTimeout: Duration
        /// Total time for one transfer, connect to last byte; a request may override it.
        public var timeout: Duration
        /// A response body larger than this fails the transfer (`.invalidRequest`) instead of filling memory.
        public var maxResponseBytes: Int
        public var userAgent: String
        /// A PEM file of the certificate authorities trusted for HTTPS (a company proxy's CA, say); nil
        /// means `SSL_CERT_FILE` when set, else the system's. Certificates are always verified, host
        /// names included.
        public var caFile: String?

        public init(
            maxConcurrentTransfers: Int = 8,
            connectTimeout: Duration = .seconds(10),
            timeout: Duration = .seconds(120),
            maxResponseBytes: Int = 64 << 20,
            userAgent: String = "judge/0.1 (libcurl)",
            caFile: String? = nil
        ) {
            precondition(maxConcurrentTransfers >= 1, "maxConcurrentTransfers must be at least 1")
            self.maxConcurrentTransfers = maxConcurrentTransfers
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
            self.caFile = caFile
        }

        /// The CA file used: ``caFile``, else `SSL_CERT_FILE` (which libcurl itself does not read).
        var trustedCAFile: String? {
            caFile ?? ProcessInfo.processInfo.environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    public let configuration: Configuration
    private let loop: CurlEventLoop

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loop = CurlEventLoop(configuration: configuration)
    }

    deinit { loop.shutdown() }

    /// Sends `request` and waits for the whole response.
    ///
    /// - Throws: ``HTTPError`` when no complete response arrived; `CancellationError` when the task is cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = CurlTransfer(request: request, configuration: configuration)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }
}
