// MARK: - APIError

/// An error reply in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}` with an HTTP status.
///
/// The server sends it, the test server imitates other servers with it, the client reads its message
/// (``message(in:)``). The message is one sentence that names the field and says what was expected, so a
/// client author can fix the request without reading our source.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status it is sent with (400, 404, 413, 503, …).
    public var statusCode: Int
    public var message: String
    public var type: String
    public var param: String?
    public var code: String?

    public init(statusCode: Int, message: String, type: String, param: String? = nil, code: String? = nil) {
        self.statusCode = statusCode
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    public var description: String { message }

    /// The JSON body.
    public var body: JSONValue {
        ["error": [
            "message": .string(message),
            "type": .string(type),
            "param": JSONValue(param),
            "code": JSONValue(code),
        ]]
    }

    // MARK: - Request errors (400)

    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(statusCode: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    public static func invalidJSON(_ reason: String) -> APIError {
        .invalidRequest("We could not parse the JSON body of your request: \(reason) Send a JSON object with 'Content-Type: application/json'.")
    }

    public static func missing(_ param: String) -> APIError {
        .invalidRequest("Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
    }

    public static func invalidType(_ param: String, expected: String, got value: JSONValue) -> APIError {
        .invalidRequest("Invalid type for '\(param)': expected \(expected), but got \(value.kindDescription) instead.",
                        param: param, code: "invalid_type")
    }

    public static func invalidValue(_ param: String, _ explanation: String) -> APIError {
        .invalidRequest("Invalid value for '\(param)': \(explanation)", param: param, code: "invalid_value")
    }

    public static func unsupported(_ param: String, _ explanation: String) -> APIError {
        .invalidRequest("Unsupported parameter '\(param)': \(explanation)", param: param, code: "unsupported_parameter")
    }

    public static func contextOverflow(promptTokens: Int, maxTokens: Int?, contextLength: Int) -> APIError {
        let requested = maxTokens.map { " However, you requested \(promptTokens + $0) tokens (\(promptTokens) in the messages, \($0) in the completion)." }
            ?? " However, your messages resulted in \(promptTokens) tokens."
        return .invalidRequest(
            "This model's maximum context length is \(contextLength) tokens.\(requested) Please reduce the length of the messages or completion.",
            param: "messages", code: "context_length_exceeded")
    }
}
