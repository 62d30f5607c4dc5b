/// Turns a conversation into the prompt text a chat model was trained on.
///
/// ```swift
/// let template = ChatTemplate.detect(file: file)        // from tokenizer.chat_template
/// let prompt = template.render([.user("What is 2+2?")])  // ends with the assistant's header
/// let ids = tokenizer.encode(prompt)                     // special tokens parsed, BOS as the model says
/// ```
///
/// The model's Jinja template is recognized, not executed: each supported family is rendered by our own
/// code, following the family's official Hugging Face template. The leading BOS is not part of the text
/// (the tokenizer adds it when the model's metadata asks for it); BOS/EOS text inside the conversation
/// (Llama 2's `</s><s>` between turns, Mistral's `</s>` after answers) is.
public struct ChatTemplate: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        /// `<|im_start|>role\ncontent<|im_end|>\n` (SmolLM2, Qwen, many fine-tunes).
        case chatml
        /// `[INST] user [/INST]answer</s>` (Mistral 7B Instruct v0.1–v0.3); a system message opens the next user turn.
        case mistral
        /// `[INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s><s>[INST] …` (Llama 2 chat).
        case llama2
        /// `<|role|>\ncontent</s>\n` (Zephyr).
        case zephyr
        /// `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>` (Llama 3).
        case llama3
        /// `<start_of_turn>role\ncontent<end_of_turn>\n`, the assistant's role named `model`; a system message
        /// opens the next user turn (Gemma 1–3).
        case gemma
        /// No markup: the messages' contents joined by blank lines.
        case raw
    }

    public var kind: Kind
    /// A system message put first when the conversation has none (SmolLM2's template does this).
    public var defaultSystem: String?
    /// The BOS text used inside the conversation (Llama 2 starts every later turn with it).
    public var bosText: String
    /// The EOS text that closes an assistant answer (Mistral, Llama 2, Zephyr).
    public var eosText: String
    /// Why this template is a guess, when it is one: the model's `tokenizer.chat_template` is missing or not
    /// one we recognize, so the model may see markup it was not trained on. Callers print it as a warning.
    public var guessed: String?

    public init(kind: Kind, defaultSystem: String? = nil, bosText: String = "<s>", eosText: String = "</s>",
                guessed: String? = nil) {
        self.kind = kind
        self.defaultSystem = defaultSystem
        self.bosText = bosText
        self.eosText = eosText
        self.guessed = guessed
    }

    /// A template chosen by name (`--template`): a kind's name, or `llama-2`, `llama-3`, `mistral-instruct`;
    /// nil for an unknown name (see `Kind.allCases`).
    public init?(name: String, defaultSystem: String? = nil, bosText: String = "<s>", eosText: String = "</s>") {
        let aliases: [String: Kind] = ["llama-2": .llama2, "llama-3": .llama3, "mistral-instruct": .mistral, "none": .raw]
        guard let kind = Kind(rawValue: name.lowercased()) ?? aliases[name.lowercased()] else { return nil }
        self.init(kind: kind, defaultSystem: defaultSystem, bosText: bosText, eosText: eosText)
    }
}
