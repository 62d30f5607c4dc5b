import Foundation
import HTTP
import OpenAIWire

extension ChatCompletionsClient {
    // MARK: - Reply

    /// The first choice of an OpenAI chat-completion body; anything else is `malformedReply`.
    public static func decodeCompletion(_ body: Data, latency: Duration) throws -> ChatCompletion {
        let raw = String(decoding: body, as: UTF8.self)
        let wire: ChatCompletionResponse
        do {
            wire = try JSONDecoder().decode(ChatCompletionResponse.self, from: body)
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
            usage: wire.usage,
            logprobs: choice.logprobs,
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

    public static func snippet(_ text: String, limit: Int = 200) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? "«\(flat)»" : "«\(flat.prefix(limit))…»"
    }

    // MARK: - Error bodies

    /// A 400 saying the prompt does not fit the context: OpenAI's (and our server's) code
    /// `context_length_exceeded`, or vLLM's and llama.cpp's wording.
    static func isContextOverflow(_ response: HTTPResponse) -> Bool {
        APIError.isContextOverflow(statusCode: response.status, code: APIError.code(in: response.body),
                                   message: errorMessage(in: response))
    }

    /// The server's explanation: OpenAI's `{"error": {"message"}}`, vLLM's `{"message"}`, `{"error": "…"}`,
    /// or else the start of the body.
    public static func errorMessage(in response: HTTPResponse) -> String {
        if let message = APIError.message(in: response.body) { return message }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : snippet(text)
    }
}
