import Foundation
import OpenAIWire

// MARK: - Rendering

extension ChatTemplate {
    /// The prompt text of `messages`.
    ///
    /// - Parameter addGenerationPrompt: end with the header of the assistant's next turn (ChatML, Zephyr,
    ///   Llama 3); the `[INST]` formats end with `[/INST]` after a user turn anyway.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var messages = messages
        if kind != .raw, let defaultSystem, messages.first?.role != .system {
            messages.insert(.system(defaultSystem), at: 0)
        }
        switch kind {
        case .chatml: return renderChatML(messages, addGenerationPrompt: addGenerationPrompt)
        case .mistral: return renderMistral(messages)
        case .llama2: return renderLlama2(messages)
        case .zephyr: return renderZephyr(messages, addGenerationPrompt: addGenerationPrompt)
        case .llama3: return renderLlama3(messages, addGenerationPrompt: addGenerationPrompt)
        case .gemma: return renderGemma(messages, addGenerationPrompt: addGenerationPrompt)
        case .raw: return messages.map(\.content).joined(separator: "\n\n")
        }
    }

    private func renderChatML(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var out = ""
        for message in messages {
            out += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }

    /// Mistral Instruct (Hugging Face template of v0.2): `[INST] user [/INST]answer</s>`; a system message
    /// is put in front of the next user message, separated by a blank line.
    private func renderMistral(_ messages: [ChatMessage]) -> String {
        var out = ""
        var pendingSystem: String?
        for message in messages {
            switch message.role {
            case .system:
                pendingSystem = pendingSystem.map { $0 + "\n\n" + message.content } ?? message.content
            case .user:
                let content = pendingSystem.map { $0 + "\n\n" + message.content } ?? message.content
                pendingSystem = nil
                out += "[INST] \(content) [/INST]"
            case .assistant:
                out += message.content + eosText
            }
        }
        if let pendingSystem { out += "[INST] \(pendingSystem) [/INST]" }
        return out
    }

    /// Llama 2 chat (Meta's Hugging Face template): the system message goes inside the first `[INST]` in
    /// `<<SYS>>` tags; contents are stripped; every turn after the first starts with BOS.
    private func renderLlama2(_ messages: [ChatMessage]) -> String {
        var out = ""
        var pendingSystem: String?
        var isFirstTurn = true
        func stripped(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
        func openTurn(_ content: String) {
            var content = stripped(content)
            if let system = pendingSystem {
                content = "<<SYS>>\n\(system)\n<</SYS>>\n\n" + content
                pendingSystem = nil
            }
            out += (isFirstTurn ? "" : bosText) + "[INST] \(content) [/INST]"
            isFirstTurn = false
        }
        for message in messages {
            switch message.role {
            case .system: pendingSystem = message.content
            case .user: openTurn(message.content)
            case .assistant: out += " \(stripped(message.content)) \(eosText)"
            }
        }
        if pendingSystem != nil { openTurn("") }
        return out
    }

    private func renderZephyr(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var out = ""
        for message in messages {
            out += "<|\(message.role.rawValue)|>\n\(message.content)\(eosText)\n"
        }
        if addGenerationPrompt { out += "<|assistant|>\n" }
        return out
    }

    /// Gemma (llama.cpp's `LLM_CHAT_TEMPLATE_GEMMA`, after Google's template): contents trimmed, the
    /// assistant called `model`, a system message put before the next user message with a blank line.
    private func renderGemma(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var out = ""
        var pendingSystem = ""
        func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
        for message in messages {
            if message.role == .system {
                pendingSystem += trimmed(message.content)
                continue
            }
            let role = message.role == .assistant ? "model" : message.role.rawValue
            out += "<start_of_turn>\(role)\n"
            if !pendingSystem.isEmpty && message.role != .assistant {
                out += pendingSystem + "\n\n"
                pendingSystem = ""
            }
            out += trimmed(message.content) + "<end_of_turn>\n"
        }
        if addGenerationPrompt { out += "<start_of_turn>model\n" }
        return out
    }

    private func renderLlama3(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var out = ""
        for message in messages {
            out += "<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n"
                + message.content.trimmingCharacters(in: .whitespacesAndNewlines) + "<|eot_id|>"
        }
        if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return out
    }
}
