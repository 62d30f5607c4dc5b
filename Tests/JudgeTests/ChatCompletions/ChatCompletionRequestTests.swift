import Foundation
import Judge
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
