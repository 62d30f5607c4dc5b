import Foundation

// MARK: - Reading other servers' errors

extension APIError {
    /// The explanation in an error body: OpenAI's `{"error": {"message"}}`, `{"error": "…"}`, vLLM's
    /// `{"message"}` or FastAPI's `{"detail"}`; nil when the body is none of these.
    public static func message(in body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
        if let message = object["error"] as? String { return message }
        if let message = object["message"] as? String { return message }
        if let detail = object["detail"] as? String { return detail }
        return nil
    }

    /// The `code` of OpenAI's `{"error": {"code"}}`, e.g. `context_length_exceeded`; nil otherwise.
    public static func code(in body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return nil }
        return error["code"] as? String
    }

    /// A 400 saying the prompt does not fit the context: the code ``contextOverflow(promptTokens:maxTokens:contextLength:)``
    /// sends (OpenAI's `context_length_exceeded`), or vLLM's and llama.cpp's wording in `message`.
    public static func isContextOverflow(statusCode: Int, code: String?, message: String) -> Bool {
        guard statusCode == 400 else { return false }
        if code == "context_length_exceeded" { return true }
        let message = message.lowercased()
        return message.contains("maximum context length") || message.contains("exceeds the available context size")
    }
}
