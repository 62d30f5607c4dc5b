import Foundation
import OpenAIWire

extension LoopbackChatServer {
    /// What the server does with one request.
    public indirect enum Behavior: Sendable {
        /// 200 with a well-formed chat completion.
        case completion(Reply)
        /// Any status, headers and body, sent as given (error JSON, HTML, …).
        case raw(status: Int, headers: [String: String] = [:], body: String)
        /// Waits, then behaves as `then` (a client with a shorter timeout gives up first).
        case delayed(Duration, then: Behavior)
        /// Closes the connection without answering.
        case dropConnection
        /// Sends the status line, headers (with the full `Content-Length`) and the first `bytes` of a
        /// well-formed reply, then closes the connection.
        case closeMidResponse(Reply, bytes: Int)

        /// 200 with a chat completion whose message is `content`.
        public static func reply(_ content: String) -> Behavior { .completion(Reply(content: content)) }

        /// 429 with `Retry-After: value` (seconds or an HTTP-date) and OpenAI's rate-limit error JSON.
        public static func rateLimited(retryAfter value: String?) -> Behavior {
            .raw(status: 429, headers: value.map { ["Retry-After": $0] } ?? [:],
                 body: errorJSON("Rate limit reached for requests", type: "requests", status: 429))
        }

        /// `status` with OpenAI's error JSON `{"error": {"message": …}}`.
        public static func error(_ status: Int, message: String) -> Behavior {
            .raw(status: status, body: errorJSON(message, type: "invalid_request_error", status: status))
        }

        /// 200 whose body is cut off in the middle of the JSON (a complete HTTP response, an incomplete document).
        public static var malformedJSON: Behavior {
            .raw(status: 200, headers: ["Content-Type": "application/json"],
                 body: #"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"[[A"#)
        }
    }

    /// A well-formed chat completion to send back.
    public struct Reply: Sendable, Hashable {
        /// `nil` sends `"content": null`.
        public var content: String?
        public var finishReason: String?
        public var promptTokens: Int
        public var completionTokens: Int
        /// Sent as `choices[0].logprobs.content`; `nil` sends `"logprobs": null`.
        public var logprobs: [Token]?
        /// `nil` echoes the request's model.
        public var model: String?

        public typealias Token = ChatTokenLogprob

        public init(content: String?, finishReason: String? = "stop", promptTokens: Int = 42, completionTokens: Int = 7,
                    logprobs: [Token]? = nil, model: String? = nil) {
            self.content = content
            self.finishReason = finishReason
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.logprobs = logprobs
            self.model = model
        }

        /// The body as text (the model as given, or `"loopback"`), for `.raw` replies built once.
        public var jsonText: String { String(decoding: json(requestedModel: nil), as: UTF8.self) }

        /// The body, as OpenAI's API shapes it (``ChatCompletionResponse``).
        func json(requestedModel: String?) -> Data {
            let response = ChatCompletionResponse(
                id: "chatcmpl-loopback", created: 1_700_000_000, model: model ?? requestedModel ?? "loopback",
                choices: [.init(message: .init(content: content), logprobs: logprobs, finishReason: finishReason)],
                usage: ChatUsage(promptTokens: promptTokens, completionTokens: completionTokens))
            return Data(response.json.serialized())
        }
    }

    /// OpenAI's error JSON `{"error": {"message", "type", "param", "code"}}` (``APIError``).
    static func errorJSON(_ message: String, type: String, status: Int) -> String {
        APIError(statusCode: status, message: message, type: type).body.jsonString
    }
}
