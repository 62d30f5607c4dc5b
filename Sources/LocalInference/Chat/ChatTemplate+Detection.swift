// MARK: - Recognizing a model's template

extension ChatTemplate {
    /// The template of a GGUF model, recognized from `tokenizer.chat_template` (with its default system
    /// message, if the template inserts one) and the model's BOS/EOS texts. A model without a template gets
    /// its family's (Gemma's for `gemma*` architectures), else ChatML, as llama.cpp does; so does one with a
    /// template we do not recognize, and then `guessed` says so.
    public static func detect(file: GGUFFile) -> ChatTemplate {
        let metadata = file.metadata
        let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray ?? []
        func text(_ key: String) -> String? {
            guard let id = metadata[key]?.intValue, id >= 0, id < tokens.count else { return nil }
            return tokens[id]
        }
        let bosText = text("tokenizer.ggml.bos_token_id") ?? "<s>"
        let eosText = text("tokenizer.ggml.eos_token_id") ?? "</s>"
        let templateText = metadata["tokenizer.chat_template"]?.stringValue
        if templateText?.isEmpty ?? true, file.architecture?.hasPrefix("gemma") == true {
            // Gemma base models ship no template; their instruction-tuned siblings use Gemma's turns.
            return ChatTemplate(kind: .gemma, bosText: bosText, eosText: eosText)
        }
        return detect(templateText: templateText, bosText: bosText, eosText: eosText)
    }

    /// The template a Jinja chat template text stands for (the checks follow llama.cpp's
    /// `llm_chat_detect_template` for the families we render).
    public static func detect(templateText: String?, bosText: String = "<s>", eosText: String = "</s>") -> ChatTemplate {
        guard let template = templateText, !template.isEmpty else {
            return ChatTemplate(kind: .chatml, bosText: bosText, eosText: eosText,
                                guessed: "the model has no tokenizer.chat_template; prompts use ChatML (choose another with --template)")
        }
        if let named = ChatTemplate(name: template, bosText: bosText, eosText: eosText) { return named }
        let kind: Kind
        var guessed: String?
        if template.contains("<|im_start|>") {
            kind = .chatml
        } else if template.hasPrefix("mistral") || template.contains("[INST]") {
            kind = template.contains("<<SYS>>") ? .llama2 : .mistral
        } else if template.contains("<|start_header_id|>") && template.contains("<|end_header_id|>") {
            kind = .llama3
        } else if template.contains("<|user|>") && template.contains("<|assistant|>") && !template.contains("<|end|>") {
            kind = .zephyr
        } else if template.contains("<start_of_turn>") {
            kind = .gemma
        } else {
            kind = .chatml
            let known = Kind.allCases.filter { $0 != .raw }.map(\.rawValue).joined(separator: ", ")
            guessed = "the model's tokenizer.chat_template is none we recognize (\(known)); prompts use ChatML, "
                + "which may not be what the model was trained on (choose one with --template)"
        }
        return ChatTemplate(kind: kind, defaultSystem: defaultSystem(in: template, kind: kind),
                            bosText: bosText, eosText: eosText, guessed: guessed)
    }

    /// The literal system message a template writes when the conversation has none, e.g. SmolLM2's
    /// `{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}`.
    /// Only a plain string literal counts: text built from variables is not a default.
    static func defaultSystem(in template: String, kind: Kind) -> String? {
        let opening: String
        let closing: String
        switch kind {
        case .chatml: (opening, closing) = ("<|im_start|>system", "<|im_end|>")
        case .llama3: (opening, closing) = ("<|start_header_id|>system<|end_header_id|>", "<|eot_id|>")
        default: return nil
        }
        // The system message must be written only when the first message is not a system message: a test
        // `!= 'system'` (SmolLM2), or `== 'system'` with an else branch (Qwen2.5).
        let negated = template.contains("!= 'system'") || template.contains("!= \"system\"")
        let branched = (template.contains("== 'system'") || template.contains("== \"system\""))
            && template.contains("else")
        guard negated || branched else { return nil }
        var searchStart = template.startIndex
        while let open = template.range(of: opening, range: searchStart..<template.endIndex) {
            searchStart = open.upperBound
            guard let close = template.range(of: closing, range: open.upperBound..<template.endIndex) else { break }
            let literal = String(template[open.upperBound..<close.lowerBound])
            // A quote that is not escaped ends the literal: the text is built from parts, not a default.
            if hasUnescapedQuote(literal) || literal.contains("{{") || literal.contains("{%") { continue }
            var body = unescapeJinjaLiteral(literal)
            // Drop the newline(s) after the header.
            while body.first == "\n" { body.removeFirst() }
            if body.isEmpty { continue }
            return body
        }
        return nil
    }

    private static func hasUnescapedQuote(_ text: String) -> Bool {
        var escaping = false
        for character in text {
            if escaping { escaping = false; continue }
            if character == "\\" { escaping = true; continue }
            if character == "'" || character == "\"" { return true }
        }
        return false
    }

    /// `\n`, `\'`, `\"` and `\\` inside a Jinja string literal.
    private static func unescapeJinjaLiteral(_ text: String) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
