@testable import LocalInference
import OpenAIWire
import XCTest

/// Each template family renders known conversations to the exact text of its official template.
final class ChatTemplateTests: XCTestCase {
    private let conversation: [ChatMessage] = [
        .system("Be brief."), .user("Hi"), .assistant("Hello!"), .user("Bye"),
    ]

    func testChatML() {
        let template = ChatTemplate(kind: .chatml)
        XCTAssertEqual(template.render(conversation), """
            <|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n\
            <|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n
            """)
        XCTAssertEqual(template.render([.user("Hi")], addGenerationPrompt: false), "<|im_start|>user\nHi<|im_end|>\n")
    }

    func testChatMLDefaultSystemOnlyWhenThereIsNone() {
        let template = ChatTemplate(kind: .chatml, defaultSystem: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        XCTAssertEqual(template.render([.user("What is 2+2?")]), """
            <|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n\
            <|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n
            """)
        XCTAssertEqual(template.render([.system("S"), .user("U")]),
                       "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
    }

    func testMistral() {
        let template = ChatTemplate(kind: .mistral)
        XCTAssertEqual(template.render(conversation), "[INST] Be brief.\n\nHi [/INST]Hello!</s>[INST] Bye [/INST]")
        XCTAssertEqual(template.render([.user("Hi")]), "[INST] Hi [/INST]")
    }

    func testLlama2() {
        let template = ChatTemplate(kind: .llama2)
        XCTAssertEqual(template.render(conversation),
                       "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Bye [/INST]")
        XCTAssertEqual(template.render([.user("  Hi  ")]), "[INST] Hi [/INST]")
    }

    func testZephyr() {
        let template = ChatTemplate(kind: .zephyr)
        XCTAssertEqual(template.render([.system("S"), .user("U")]), "<|system|>\nS</s>\n<|user|>\nU</s>\n<|assistant|>\n")
    }

    func testLlama3() {
        let template = ChatTemplate(kind: .llama3)
        XCTAssertEqual(template.render([.system("S"), .user("U")]), """
            <|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n\
            U<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n
            """)
    }

    func testRaw() {
        let template = ChatTemplate(kind: .raw, defaultSystem: "ignored")
        XCTAssertEqual(template.render([.user("Once upon a time")]), "Once upon a time")
        XCTAssertEqual(template.render([.system("A"), .user("B")]), "A\n\nB")
    }

    func testOverrideByName() {
        XCTAssertEqual(ChatTemplate(name: "zephyr")?.kind, .zephyr)
        XCTAssertEqual(ChatTemplate(name: "Llama-2")?.kind, .llama2)
        XCTAssertEqual(ChatTemplate(name: "raw")?.kind, .raw)
        XCTAssertNil(ChatTemplate(name: "vicuna"))
    }

    // MARK: - Recognition

    private static let smolLM2 = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system
        You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
        ' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}\
        {% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}
        """
    private static let qwen = """
        {%- if messages[0]['role'] != 'system' %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. \
        You\\'re a helpful assistant.<|im_end|>\\n' }}{%- endif %}{%- for message in messages %}\
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}
        """
    private static let mistral = """
        {{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + \
        ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}
        """
    private static let llama2 = """
        {% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}{% endif %}\
        {% for message in loop_messages %}{% if loop.index0 == 0 and system_message != false %}\
        {% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% endif %}\
        {% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% endif %}{% endfor %}
        """
    private static let zephyr = """
        {% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>\n' + message['content'] + eos_token }}\
        {% elif message['role'] == 'assistant' %}{{ '<|assistant|>\n'  + message['content'] + eos_token }}{% endif %}{% endfor %}
        """
    private static let llama3 = """
        {% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + \
        message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{{ content }}{% endfor %}
        """

    func testRecognizesFamilies() {
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.smolLM2).kind, .chatml)
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.mistral).kind, .mistral)
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.llama2).kind, .llama2)
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.zephyr).kind, .zephyr)
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.llama3).kind, .llama3)
        XCTAssertEqual(ChatTemplate.detect(templateText: nil).kind, .chatml)
        XCTAssertEqual(ChatTemplate.detect(templateText: "{{ something else }}").kind, .chatml)
        XCTAssertEqual(ChatTemplate.detect(templateText: "llama2").kind, .llama2)
    }

    func testExtractsTheDefaultSystemMessage() {
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.smolLM2).defaultSystem,
                       "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        XCTAssertEqual(ChatTemplate.detect(templateText: Self.qwen).defaultSystem,
                       "You are Qwen, created by Alibaba Cloud. You're a helpful assistant.")
        // Built from variables, or not conditional on a missing system message: no default.
        XCTAssertNil(ChatTemplate.detect(templateText: "{{ '<|im_start|>system\\n' + message['content'] + '<|im_end|>' }}").defaultSystem)
        XCTAssertNil(ChatTemplate.detect(templateText: Self.mistral).defaultSystem)
    }

    /// Qwen2.5's template tests `== 'system'` and writes its default in the else branch.
    func testExtractsADefaultWrittenInAnElseBranch() {
        let qwen25 = """
            {%- if messages[0]['role'] == 'system' %}
                {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
            {%- else %}
                {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
            {%- endif %}
            """
        let template = ChatTemplate.detect(templateText: qwen25)
        XCTAssertEqual(template.kind, .chatml)
        XCTAssertEqual(template.defaultSystem, "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
        XCTAssertNil(template.guessed)
    }

    func testGemma() {
        let gemma = "{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + role + '\\n' }}{% endfor %}"
        let template = ChatTemplate.detect(templateText: gemma)
        XCTAssertEqual(template.kind, .gemma)
        XCTAssertEqual(template.render([.system("Be brief."), .user(" Hi "), .assistant("Hello."), .user("Bye")]),
                       "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello.<end_of_turn>\n"
                       + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n")
    }

    /// An unrecognized or missing template still renders ChatML, as llama.cpp does, but says it is a guess.
    func testAnUnrecognizedTemplateIsAGuessThatSaysSo() {
        let unknown = ChatTemplate.detect(templateText: "{{ '### Instruction:' + message['content'] }}")
        XCTAssertEqual(unknown.kind, .chatml)
        XCTAssertEqual(unknown.guessed, "the model's tokenizer.chat_template is none we recognize (chatml, mistral, llama2, "
                       + "zephyr, llama3, gemma); prompts use ChatML, which may not be what the model was trained on "
                       + "(choose one with --template)")
        XCTAssertNotNil(ChatTemplate.detect(templateText: nil).guessed)
        XCTAssertNil(ChatTemplate.detect(templateText: Self.llama3).guessed)
    }

    func testKeepsTheModelsBOSAndEOSTexts() {
        let template = ChatTemplate.detect(templateText: Self.zephyr, bosText: "<s>", eosText: "<|endoftext|>")
        XCTAssertEqual(template.render([.user("U")]), "<|user|>\nU<|endoftext|>\n<|assistant|>\n")
    }
}
