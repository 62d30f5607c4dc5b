/// A transfer that produced no complete HTTP response. (Any status code, 4xx and 5xx included, is a
/// response, not an error: callers decide what a status means.) Task cancellation is `CancellationError`.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: Kind
    /// libcurl's own explanation (its error buffer); never contains request headers.
    public var message: String

    public enum Kind: Sendable, Hashable {
        /// The connect or total timeout passed.
        case timedOut
        /// No connection could be made: refused, unreachable, DNS failure.
        case connectionFailed
        /// The connection broke or closed before the response was complete.
        case connectionDropped
        /// TLS failed: certificate not trusted, host name mismatch, handshake error.
        case tls
        /// The request itself is unusable: bad URL, unsupported scheme, response larger than the limit.
        case invalidRequest
        /// Anything else libcurl reports.
        case other
    }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// True when the same request may well succeed if sent again later.
    public var isTransient: Bool {
        switch kind {
        case .timedOut, .connectionFailed, .connectionDropped, .other: true
        case .tls, .invalidRequest: false
        }
    }

    public var description: String {
        switch kind {
        case .timedOut: "timed out: \(message)"
        case .connectionFailed: "could not connect: \(message)"
        case .connectionDropped: "connection dropped: \(message)"
        case .tls: "TLS failed: \(message)"
        case .invalidRequest: "invalid request: \(message)"
        case .other: message
        }
    }
}
