import Foundation
import TestSupport
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
        try check(model: TestModel.smolLM2(), fixture: "smollm2_chat_reference.json",
                  defaultSystem: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    }

    /// Qwen's template tests `== 'system'` and writes its default in the else branch.
    func testQwen25TemplateMatchesJinja() throws {
        try check(model: RealModelFile.qwen25Coder(), fixture: "qwen2.5-coder_chat_reference.json",
                  defaultSystem: "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
    }

    private func check(model: URL, fixture: String, defaultSystem: String) throws {
        let file = try GGUFFile(url: model)
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: TestModel.fixture("tokenizer/\(fixture)")))
        XCTAssertEqual(file.metadata["tokenizer.chat_template"]?.stringValue, reference.chat_template)

        let template = ChatTemplate.detect(file: file)
        XCTAssertEqual(template.kind, .chatml)
        XCTAssertNil(template.guessed)
        XCTAssertEqual(template.defaultSystem, defaultSystem)
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
