import NIOHTTP1

// MARK: - APIError

/// An error reply in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}` with an HTTP status.
///
/// The message is one sentence that names the field and says what was expected, so a client author can fix the
/// request without reading our source.
struct APIError: Error, CustomStringConvertible {
    var status: HTTPResponseStatus
    var message: String
    var type: String
    var param: String?
    var code: String?

    var description: String { message }

    /// The JSON body.
    var body: JSONValue {
        ["error": [
            "message": .string(message),
            "type": .string(type),
            "param": JSONValue(param),
            "code": JSONValue(code),
        ]]
    }

    // MARK: - Request errors (400)

    static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    static func invalidJSON(_ reason: String) -> APIError {
        .invalidRequest("We could not parse the JSON body of your request: \(reason) Send a JSON object with 'Content-Type: application/json'.")
    }

    static func missing(_ param: String) -> APIError {
        .invalidRequest("Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
    }

    static func invalidType(_ param: String, expected: String, got value: JSONValue) -> APIError {
        .invalidRequest("Invalid type for '\(param)': expected \(expected), but got \(value.kindDescription) instead.",
                        param: param, code: "invalid_type")
    }

    static func invalidValue(_ param: String, _ explanation: String) -> APIError {
        .invalidRequest("Invalid value for '\(param)': \(explanation)", param: param, code: "invalid_value")
    }

    static func unsupported(_ param: String, _ explanation: String) -> APIError {
        .invalidRequest("Unsupported parameter '\(param)': \(explanation)", param: param, code: "unsupported_parameter")
    }

    static func contextOverflow(promptTokens: Int, maxTokens: Int?, contextLength: Int) -> APIError {
        let requested = maxTokens.map { " However, you requested \(promptTokens + $0) tokens (\(promptTokens) in the messages, \($0) in the completion)." }
            ?? " However, your messages resulted in \(promptTokens) tokens."
        return .invalidRequest(
            "This model's maximum context length is \(contextLength) tokens.\(requested) Please reduce the length of the messages or completion.",
            param: "messages", code: "context_length_exceeded")
    }

    // MARK: - Routing and server errors

    static func notFound(method: HTTPMethod, path: String) -> APIError {
        APIError(status: .notFound, message: "Invalid URL (\(method.rawValue) \(path)): this server serves POST /v1/chat/completions and GET /v1/models.",
                 type: "invalid_request_error", param: nil, code: "unknown_url")
    }

    static func methodNotAllowed(method: HTTPMethod, path: String, allowed: [HTTPMethod]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(status: .methodNotAllowed, message: "Method \(method.rawValue) is not allowed on \(path); use \(list).",
                        type: "invalid_request_error", param: nil, code: "method_not_allowed")
    }

    static func modelNotFound(_ model: String) -> APIError {
        APIError(status: .notFound, message: "The model '\(model)' does not exist; this server serves one model (see GET /v1/models).",
                 type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, message: "The request body is larger than \(limit) bytes.",
                 type: "invalid_request_error", param: nil, code: "request_too_large")
    }

    static func shuttingDown() -> APIError {
        APIError(status: .serviceUnavailable, message: "The server is shutting down; retry against another instance.",
                 type: "server_error", param: nil, code: "shutting_down")
    }

    static func internalError(_ error: Error) -> APIError {
        APIError(status: .internalServerError, message: "The model failed while generating: \(error)",
                 type: "server_error", param: nil, code: nil)
    }
}
