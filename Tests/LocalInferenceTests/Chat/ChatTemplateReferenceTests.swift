import Foundation
@testable import LocalInference
import OpenAIWire
import XCTest

/// SmolLM2's own template, executed by jinja2 (Fixtures/tokenizer/smollm2_chat_reference.json, written by
/// scripts/reference/tokenizer_reference.py --chat-out), against our recognized template: same text, and
/// the same ids from llama.cpp's tokenizer and ours.
final class ChatTemplateReferenceTests: XCTestCase {
    private struct Reference: Decodable {
        struct Message: Decodable { let role: String; let content: String }
        struct Case: Decodable {
            let messages: [Message]
            let add_generation_prompt: Bool
            let prompt: String
            let ids: [Int32]
        }
        let chat_template: String
        let cases: [Case]
    }

    func testSmolLM2TemplateMatchesJinja() throws {
        let file = try GGUFFile(url: TestModel.smolLM2())
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: TestModel.fixture("tokenizer/smollm2_chat_reference.json")))
        XCTAssertEqual(file.metadata["tokenizer.chat_template"]?.stringValue, reference.chat_template)

        let template = ChatTemplate.detect(file: file)
        XCTAssertEqual(template.kind, .chatml)
        XCTAssertEqual(template.defaultSystem, "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let tokenizer = try Tokenizer(file: file)
        XCTAssertGreaterThanOrEqual(reference.cases.count, 8)
        for item in reference.cases {
            let messages = try item.messages.map { message -> ChatMessage in
                let role = try XCTUnwrap(ChatMessage.Role(rawValue: message.role))
                return ChatMessage(role: role, content: message.content)
            }
            let prompt = template.render(messages, addGenerationPrompt: item.add_generation_prompt)
            XCTAssertEqual(prompt, item.prompt)
            XCTAssertEqual(tokenizer.encode(prompt), item.ids)
        }
    }
}
