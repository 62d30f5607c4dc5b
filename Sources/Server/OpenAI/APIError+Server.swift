import NIOHTTP1
import OpenAIWire

// MARK: - APIError on this server

/// This server's side of ``APIError``: NIO's status type, and the errors of routing and serving (the
/// request errors, which every OpenAI-compatible server shares, are in OpenAIWire).
extension APIError {
    init(status: HTTPResponseStatus, message: String, type: String, param: String?, code: String?) {
        self.init(statusCode: Int(status.code), message: message, type: type, param: param, code: code)
    }

    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: statusCode) }

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
