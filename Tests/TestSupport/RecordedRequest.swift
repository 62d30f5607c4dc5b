import Foundation

/// A request as the loopback server received it, for tests to assert on headers, bodies and counts.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    /// Path and query, as sent (`/v1/chat/completions?api-version=…`).
    public var uri: String
    public var headers: [Header]
    public var body: Data
    /// Which connection carried it: 1 for the server's first accepted connection, 2 for the next, …
    public var connection: Int

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public init(method: String, uri: String, headers: [Header], body: Data, connection: Int) {
        self.method = method
        self.connection = connection
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var path: String { String(uri.prefix { $0 != "?" }) }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or `nil` when it is not one.
    public var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
