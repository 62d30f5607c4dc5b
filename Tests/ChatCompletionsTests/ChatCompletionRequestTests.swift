import ChatCompletions
import Foundation
import OpenAIWire
import XCTest

final class ChatCompletionRequestTests: XCTestCase {
    func testEncodesSnakeCaseAndLeavesOutNils() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("hi")], temperature: 0, maxTokens: 5, stop: ["\n"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(request), as: UTF8.self)
        XCTAssertEqual(json, #"{"max_tokens":5,"messages":[{"content":"hi","role":"user"}],"model":"m","stop":["\n"],"temperature":0}"#)
    }

    func testErrorsSayWhatToDo() {
        XCTAssertTrue(ChatCompletionsError.rejected(status: 401, message: "bad key").description.contains("API key"))
        XCTAssertTrue(ChatCompletionsError.rejected(status: 404, message: "no model").description.contains("model name"))
        XCTAssertFalse(ChatCompletionsError.malformedReply("x").isFatal)
        XCTAssertTrue(ChatCompletionsError.failuresPersist("x").isFatal)
    }
}

extension ChatCompletionRequestTests {
    func testSamplingAndLogprobFieldsUseTheWireNames() throws {
        let request = ChatCompletionRequest(model: "m", messages: [.user("hi")], temperature: 0.8, maxTokens: 1, seed: 2,
                                            logprobs: true, topLogprobs: 20, topP: 0.9, topK: 40, minP: 0.05, repeatPenalty: 1.1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(request), as: UTF8.self)
        XCTAssertEqual(json, #"{"logprobs":true,"max_tokens":1,"messages":[{"content":"hi","role":"user"}],"min_p":0.05,"model":"m","repeat_penalty":1.1,"seed":2,"temperature":0.8,"top_k":40,"top_logprobs":20,"top_p":0.9}"#)
    }

    func testAPromptTooLongIsNotFatal() {
        let error = ChatCompletionsError.promptTooLong("maximum context length is 2048 tokens")
        XCTAssertFalse(error.isFatal)
        XCTAssertTrue(error.isPromptTooLong)
        XCTAssertTrue(error.description.contains("does not fit in the judge's context"))
    }
}
