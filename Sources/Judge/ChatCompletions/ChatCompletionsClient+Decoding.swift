import Foundation
import HTTP

extension ChatCompletionsClient {
    // MARK: - Reply

    /// The first choice of an OpenAI chat-completion body; anything else is `malformedReply`.
    static func decodeCompletion(_ body: Data, latency: Duration) throws -> ChatCompletion {
        let raw = String(decoding: body, as: UTF8.self)
        let wire: WireCompletion
        do {
            wire = try JSONDecoder().decode(WireCompletion.self, from: body)
        } catch let error as DecodingError {
            throw ChatCompletionsError.malformedReply("\(summary(of: error)); body starts: \(snippet(raw))")
        }
        guard let choice = wire.choices.first else {
            throw ChatCompletionsError.malformedReply("no choices in the reply; body starts: \(snippet(raw))")
        }
        guard let message = choice.message else {
            throw ChatCompletionsError.malformedReply("choices[0] has no message; body starts: \(snippet(raw))")
        }
        return ChatCompletion(
            content: message.content ?? "",
            finishReason: choice.finishReason,
            usage: wire.usage.map { .init(promptTokens: $0.promptTokens ?? 0, completionTokens: $0.completionTokens ?? 0) },
            logprobs: choice.logprobs?.content?.map { token in
                .init(token: token.token, logprob: token.logprob,
                      topLogprobs: (token.topLogprobs ?? []).map { .init(token: $0.token, logprob: $0.logprob) })
            },
            model: wire.model,
            latency: latency,
            rawBody: raw)
    }

    private static func summary(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "not valid JSON (truncated or corrupt)"
        case .dataCorrupted(let context):
            "bad value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "unexpected type at \(path(context.codingPath))"
        @unknown default:
            "undecodable"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    static func snippet(_ text: String, limit: Int = 200) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? "«\(flat)»" : "«\(flat.prefix(limit))…»"
    }

    // MARK: - Error bodies

    /// A 400 saying the prompt does not fit the context: OpenAI's (and our server's) code
    /// `context_length_exceeded`, or vLLM's and llama.cpp's wording.
    static func isContextOverflow(_ response: HTTPResponse) -> Bool {
        guard response.status == 400 else { return false }
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
           let error = object["error"] as? [String: Any], error["code"] as? String == "context_length_exceeded" {
            return true
        }
        let message = errorMessage(in: response).lowercased()
        return message.contains("maximum context length") || message.contains("exceeds the available context size")
    }

    /// The server's explanation: OpenAI's `{"error": {"message"}}`, vLLM's `{"message"}`, `{"error": "…"}`,
    /// or else the start of the body.
    static func errorMessage(in response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String { return message }
            if let message = object["message"] as? String { return message }
            if let detail = object["detail"] as? String { return detail }
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : snippet(text)
    }
}

// MARK: - Wire format (decoding only what we use; unknown fields are ignored)

private struct WireCompletion: Decodable {
    var model: String?
    var choices: [Choice]
    var usage: Usage?

    struct Choice: Decodable {
        var message: Message?
        var finishReason: String?
        var logprobs: Logprobs?

        enum CodingKeys: String, CodingKey {
            case message, logprobs
            case finishReason = "finish_reason"
        }
    }

    struct Message: Decodable {
        var content: String?
    }

    struct Logprobs: Decodable {
        var content: [Token]?
    }

    struct Token: Decodable {
        var token: String
        var logprob: Double
        var topLogprobs: [Alternative]?

        enum CodingKeys: String, CodingKey {
            case token, logprob
            case topLogprobs = "top_logprobs"
        }
    }

    struct Alternative: Decodable {
        var token: String
        var logprob: Double
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }
}
