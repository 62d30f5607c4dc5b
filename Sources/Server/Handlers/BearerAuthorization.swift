import NIOHTTP1
import OpenAIWire

// MARK: - BearerAuthorization

/// The API key a shared `judge serve` requires: `Authorization: Bearer KEY`, as OpenAI's clients send it.
///
/// The key is compared in constant time — every byte of the longer of the two is looked at whatever the
/// first difference — so the time a refusal takes says nothing about how much of a guess was right.
struct BearerAuthorization: Sendable {
    private let key: [UInt8]

    init(key: String) {
        self.key = Array(key.utf8)
    }

    /// nil when the request carries the key; otherwise the 401 to send.
    func refusal(for request: HTTPRequest) -> APIError? {
        guard let header = request.headers.first(name: "authorization") else {
            return .unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
            return .unauthorized("The Authorization header must use Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        }
        let presented = Array(header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces).utf8)
        guard Self.constantTimeEqual(presented, key) else {
            return .unauthorized("Incorrect API key provided. This server accepts the key given to `judge serve --api-key`.", code: "invalid_api_key")
        }
        return nil
    }

    /// Equal bytes, in time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt64(a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= UInt64(x ^ y)
        }
        return difference == 0
    }
}

extension APIError {
    /// 401 in OpenAI's shape (`invalid_request_error`, code `invalid_api_key` for a wrong key).
    static func unauthorized(_ message: String, code: String? = nil) -> APIError {
        APIError(statusCode: 401, message: message, type: "invalid_request_error", param: nil, code: code)
    }
}
