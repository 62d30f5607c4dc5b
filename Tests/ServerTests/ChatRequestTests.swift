import Foundation
import OpenAIWire
@testable import Server
import XCTest

/// Validation of `POST /v1/chat/completions` bodies: every field, OpenAI's error shapes.
final class ChatRequestTests: XCTestCase {
    private func request(_ json: String) throws -> ChatRequest {
        try ChatCompletionsHandler.read(Array(json.utf8))
    }

    private func assertRejected(_ json: String, param: String?, mentioning words: [String],
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try request(json), file: file, line: line) { error in
            guard let error = error as? APIError else { return XCTFail("not an APIError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.status, .badRequest, file: file, line: line)
            XCTAssertEqual(error.type, "invalid_request_error", file: file, line: line)
            XCTAssertEqual(error.param, param, error.message, file: file, line: line)
            for word in words {
                XCTAssertTrue(error.message.contains(word), "“\(error.message)” does not mention \(word)", file: file, line: line)
            }
        }
    }

    // MARK: - Accepted

    func testReadsEveryParameter() throws {
        let chat = try request("""
        {"model": "m", "messages": [{"role": "developer", "content": "Be brief."},
                                    {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}]},
                                    {"role": "assistant", "content": "Yes?", "name": "bot"}],
         "stream": true, "stream_options": {"include_usage": true}, "max_completion_tokens": 12, "temperature": 0,
         "top_p": 0.9, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1, "seed": -1, "stop": "\\n",
         "logprobs": true, "top_logprobs": 5, "n": 1, "presence_penalty": 0, "user": "u1", "logit_bias": {}}
        """)
        XCTAssertEqual(chat.model, "m")
        XCTAssertEqual(chat.completion.messages, [
            ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi there"),
            ChatMessage(role: .assistant, content: "Yes?"),
        ])
        XCTAssertTrue(chat.stream)
        XCTAssertTrue(chat.includeUsage)
        let settings = chat.completion.settings
        XCTAssertEqual(settings.maxTokens, 12)
        XCTAssertEqual(settings.temperature, 0)
        XCTAssertEqual(settings.topP, 0.9)
        XCTAssertEqual(settings.topK, 40)
        XCTAssertEqual(settings.minP, 0.05)
        XCTAssertEqual(settings.repeatPenalty, 1.1)
        XCTAssertEqual(settings.seed, UInt64.max)
        XCTAssertEqual(settings.stop, ["\n"])
        XCTAssertEqual(settings.topLogprobs, 5)
    }

    func testDefaultsAreOpenAIs() throws {
        let chat = try request(#"{"messages": [{"role": "user", "content": "Hi"}], "stop": null, "seed": 7}"#)
        XCTAssertNil(chat.model)
        XCTAssertFalse(chat.stream)
        XCTAssertFalse(chat.logprobs)
        let settings = chat.completion.settings
        XCTAssertNil(settings.maxTokens)
        XCTAssertEqual(settings.temperature, 1)
        XCTAssertEqual(settings.topP, 1)
        XCTAssertEqual(settings.topK, 0)
        XCTAssertEqual(settings.minP, 0)
        XCTAssertEqual(settings.seed, 7)
        XCTAssertEqual(settings.stop, [])
        XCTAssertNil(settings.topLogprobs)
    }

    func testLogprobsWithoutTopLogprobsAsksForNoAlternatives() throws {
        let chat = try request(#"{"messages": [{"role": "user", "content": "Hi"}], "logprobs": true, "stop": ["a", "b"]}"#)
        XCTAssertEqual(chat.completion.settings.topLogprobs, 0)
        XCTAssertEqual(chat.completion.settings.stop, ["a", "b"])
    }

    // MARK: - Rejected

    func testBadJSON() {
        assertRejected(#"{"messages": [}"#, param: nil, mentioning: ["could not parse the JSON body"])
        assertRejected("", param: nil, mentioning: ["JSON"])
        assertRejected("[1, 2]", param: nil, mentioning: ["JSON object", "an array"])
    }

    func testMessages() {
        assertRejected(#"{"model": "m"}"#, param: "messages", mentioning: ["Missing required parameter", "messages"])
        assertRejected(#"{"messages": "hi"}"#, param: "messages", mentioning: ["expected an array", "a string"])
        assertRejected(#"{"messages": []}"#, param: "messages", mentioning: ["empty"])
        assertRejected(#"{"messages": [{"role": "wizard", "content": "x"}]}"#, param: "messages[0].role",
                       mentioning: ["'wizard' is not a role"])
        assertRejected(#"{"messages": [{"role": "user"}]}"#, param: "messages[0].content", mentioning: ["Missing"])
        assertRejected(#"{"messages": [{"content": "x"}]}"#, param: "messages[0].role", mentioning: ["Missing"])
        assertRejected(#"{"messages": [{"role": "user", "content": 3}]}"#, param: "messages[0].content",
                       mentioning: ["a string or an array of text parts", "an integer"])
        assertRejected(#"{"messages": [{"role": "tool", "content": "x"}]}"#, param: "messages[0].role", mentioning: ["tool calling"])
        assertRejected(#"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}"#,
                       param: "messages[0].content[0].type", mentioning: ["'image_url' parts are not supported"])
        assertRejected(#"{"messages": [{"role": "user", "content": "x", "mood": "happy"}]}"#, param: "messages[0].mood",
                       mentioning: ["Unrecognized field 'mood'"])
        assertRejected(#"{"messages": ["hi"]}"#, param: "messages[0]", mentioning: ["expected an object"])
    }

    func testWrongTypesAndRanges() {
        let user = #""messages": [{"role": "user", "content": "x"}]"#
        assertRejected("{\(user), \"temperature\": \"hot\"}", param: "temperature", mentioning: ["expected a number", "a string"])
        assertRejected("{\(user), \"temperature\": 3}", param: "temperature", mentioning: ["out of range"])
        assertRejected("{\(user), \"top_p\": 0}", param: "top_p", mentioning: ["(0, 1]"])
        assertRejected("{\(user), \"max_tokens\": 0}", param: "max_tokens", mentioning: ["≥ 1"])
        assertRejected("{\(user), \"max_tokens\": 2.5}", param: "max_tokens", mentioning: ["expected an integer", "a decimal"])
        assertRejected("{\(user), \"max_tokens\": 4, \"max_completion_tokens\": 5}", param: "max_completion_tokens",
                       mentioning: ["only one"])
        assertRejected("{\(user), \"stream\": \"yes\"}", param: "stream", mentioning: ["expected a boolean"])
        assertRejected("{\(user), \"stream_options\": {\"include_usage\": true}}", param: "stream_options",
                       mentioning: ["only allowed when 'stream' is true"])
        assertRejected("{\(user), \"seed\": 1.5}", param: "seed", mentioning: ["expected an integer"])
        assertRejected("{\(user), \"stop\": 5}", param: "stop", mentioning: ["a string or an array of strings"])
        assertRejected("{\(user), \"stop\": [\"a\", 5]}", param: "stop[1]", mentioning: ["expected a string"])
        assertRejected("{\(user), \"stop\": \"\"}", param: "stop", mentioning: ["empty"])
        assertRejected("{\(user), \"model\": 4}", param: "model", mentioning: ["expected a string"])
    }

    func testUnsupportedAndUnknownParameters() {
        let user = #""messages": [{"role": "user", "content": "x"}]"#
        assertRejected("{\(user), \"n\": 2}", param: "n", mentioning: ["n=1"])
        assertRejected("{\(user), \"top_logprobs\": 3}", param: "top_logprobs", mentioning: ["'logprobs' must be set to true"])
        assertRejected("{\(user), \"logprobs\": true, \"top_logprobs\": 21}", param: "top_logprobs", mentioning: ["from 0 to 20"])
        assertRejected("{\(user), \"frequency_penalty\": 0.5}", param: "frequency_penalty", mentioning: ["repeat_penalty"])
        assertRejected("{\(user), \"tools\": []}", param: "tools", mentioning: ["plain text only"])
        assertRejected("{\(user), \"logit_bias\": {\"1\": 5}}", param: "logit_bias", mentioning: ["does not bias"])
        assertRejected("{\(user), \"response_format\": {\"type\": \"json_object\"}}", param: "response_format", mentioning: ["JSON mode"])
        assertRejected("{\(user), \"temprature\": 0}", param: "temprature", mentioning: ["Unrecognized request argument supplied: temprature"])
    }
}
