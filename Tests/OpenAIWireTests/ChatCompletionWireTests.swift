import Foundation
import OpenAIWire
import XCTest

/// The one definition of the chat format read both ways: what one side writes, the other reads back equal.
final class ChatCompletionWireTests: XCTestCase {
    // MARK: - Request

    func testAnEncodedRequestValidatesBackToItself() throws {
        let request = ChatCompletionRequest(
            model: "m", messages: [.system("Be fair."), .user("hi"), .assistant("[[A]]")], temperature: 0.5, maxTokens: 9,
            seed: -3, logprobs: true, topLogprobs: 4, stop: ["\n", "END"], topP: 0.9, topK: 40, minP: 0.05, repeatPenalty: 1.1,
            stream: true, streamOptions: .init(includeUsage: true))
        let body = try JSONValue.parse(try JSONEncoder().encode(request))
        XCTAssertEqual(try ChatCompletionRequest(validating: body), request)
    }

    func testValidationNamesTheFirstWrongField() {
        let body: JSONValue = ["messages": [["role": "user", "content": "hi"]], "top_logprobs": 3]
        XCTAssertThrowsError(try ChatCompletionRequest(validating: body)) { error in
            let error = error as? APIError
            XCTAssertEqual(error?.statusCode, 400)
            XCTAssertEqual(error?.param, "top_logprobs")
        }
    }

    // MARK: - Reply

    func testAWrittenReplyReadsBackEqual() throws {
        let response = ChatCompletionResponse(
            id: "chatcmpl-1", created: 1_700_000_000, model: "judge",
            choices: [.init(message: .init(content: "[[B]]"), logprobs: [
                ChatTokenLogprob(token: "[[", logprob: -0.5, bytes: [91, 91],
                                 topLogprobs: [.init(token: "[[", logprob: -0.5, bytes: [91, 91]), .init(token: "A", logprob: -2)]),
            ], finishReason: "stop")],
            usage: ChatUsage(promptTokens: 12, completionTokens: 3))
        let read = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(response.json.serialized()))
        XCTAssertEqual(read, response)
    }

    func testAReplyIsWrittenInOpenAIsOrderWithItsNulls() {
        let response = ChatCompletionResponse(id: "c", created: 1, model: "m",
                                              choices: [.init(message: .init(content: nil), finishReason: "length")],
                                              usage: ChatUsage(promptTokens: 2, completionTokens: 1))
        XCTAssertEqual(response.json.jsonString, #"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}"#)
    }

    func testReadingToleratesWhatOtherServersLeaveOut() throws {
        let read = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(#"{"choices":[{"message":{"content":"x"},"logprobs":{"content":null}}],"usage":{"completion_tokens":4}}"#.utf8))
        XCTAssertNil(read.id)
        XCTAssertEqual(read.choices.first?.message?.content, "x")
        XCTAssertNil(read.choices.first?.logprobs)
        XCTAssertEqual(read.usage, ChatUsage(promptTokens: 0, completionTokens: 4))
    }

    func testAnImpossibleTokenIsWrittenAsOpenAIsMinus9999() {
        XCTAssertEqual(ChatTokenLogprob(token: "x", logprob: -.infinity).json["logprob"], .number(-9999))
    }

    // MARK: - Chunks

    func testChunksCarryUsageOnlyWhenAskedAndNullUntilTheLast() {
        let content = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [.init(delta: .init(content: "Hi"))], usage: .null)
        XCTAssertEqual(content.json.jsonString, #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}"#)
        let plain = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [.init(delta: .init(), finishReason: "stop")], usage: .omitted)
        XCTAssertEqual(plain.json.jsonString, #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#)
        let last = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [], usage: .value(ChatUsage(promptTokens: 1, completionTokens: 2)))
        XCTAssertEqual(last.json["usage"]?["total_tokens"], .integer(3))
    }

    // MARK: - Errors

    func testAnErrorBodyReadsBackItsMessageAndCode() {
        let error = APIError.contextOverflow(promptTokens: 10, maxTokens: 5, contextLength: 12)
        let body = Data(error.body.serialized())
        XCTAssertEqual(APIError.message(in: body), error.message)
        XCTAssertEqual(APIError.code(in: body), "context_length_exceeded")
        XCTAssertTrue(APIError.isContextOverflow(statusCode: error.statusCode, code: APIError.code(in: body), message: error.message))
        XCTAssertEqual(APIError.message(in: Data(#"{"detail":"no such model"}"#.utf8)), "no such model")
        XCTAssertNil(APIError.message(in: Data("<html>".utf8)))
    }
}
