import NIOHTTP1

// MARK: - HTTPRequest

/// One complete HTTP request, body included (requests here are small JSON documents).
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    /// The path without the query ("/v1/models").
    var path: String
    var headers: HTTPHeaders
    var body: [UInt8]

    init(head: HTTPRequestHead, body: [UInt8]) {
        method = head.method
        path = String(head.uri.prefix(while: { $0 != "?" && $0 != "#" }))
        headers = head.headers
        self.body = body
    }

    init(method: HTTPMethod, path: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}
