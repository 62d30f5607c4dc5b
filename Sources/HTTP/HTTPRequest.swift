import Foundation

/// One HTTP request for ``HTTPClient/send(_:)``.
public struct HTTPRequest: Sendable, Hashable {
    public var method: Method
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data?
    /// Overrides the client's total timeout for this request (connect + send + wait + receive).
    public var timeout: Duration?

    public init(method: Method = .get, url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public struct Method: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let get = Method(rawValue: "GET")
        public static let post = Method(rawValue: "POST")
        public static let put = Method(rawValue: "PUT")
        public static let delete = Method(rawValue: "DELETE")
    }
}
