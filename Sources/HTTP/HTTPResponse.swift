import Foundation

/// A complete HTTP response: status, headers of the final response (not of `100 Continue`), body.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// The protocol the exchange used: `"1.1"`, `"2"`, `"3"`, or `"1.0"`.
    public var httpVersion: String

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data(), httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The body as UTF-8 text, invalid sequences repaired.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
