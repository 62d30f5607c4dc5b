import Foundation
import LocalInference
import Suite

// MARK: - LocalModelSession

/// One loaded GGUF model ready to answer chat prompts: its weights, tokenizer, chat template, one
/// inference context and one sampler, all made once and reused for every item.
///
/// Runs one sequence at a time, seeded: the sampler is reset with the model's seed before each item, so
/// an item's output depends only on the model, its settings and the prompt — never on which items ran
/// before it (which is what lets candidates be keyed and reused one by one).
final class LocalModelSession {
    let name: String
    let path: URL
    let template: ChatTemplate
    /// The template's name as recorded in the key (the override's name, or the detected kind).
    let templateName: String
    private let tokenizer: Tokenizer
    private let context: InferenceContext
    private var sampler: Sampler?

    /// The largest context allocated for generation; prompts and outputs of suites are far shorter.
    static let maxContext = 4096

    /// Loads the model's weights and tokenizer from `file` (parsed already, for its template).
    init(name: String, file: GGUFFile, path: URL, template: ChatTemplate) throws {
        self.name = name
        self.path = path
        self.template = template
        templateName = template.kind.rawValue
        do {
            let model = try LlamaModel(file: file)
            tokenizer = try Tokenizer(file: file)
            context = try InferenceContext(model: model, contextLength: min(model.configuration.contextLength, Self.maxContext))
        } catch {
            throw CandidateGenerationError.unloadableModel(model: name, path: path.path, reason: "\(error)")
        }
    }

    /// The template to render with: the override (a name such as `chatml`, or Jinja text), else the
    /// one the file declares.
    static func template(file: GGUFFile, override: String?) -> ChatTemplate {
        let detected = ChatTemplate.detect(file: file)
        guard let override else { return detected }
        if let named = ChatTemplate(name: override, defaultSystem: detected.defaultSystem,
                                    bosText: detected.bosText, eosText: detected.eosText) {
            return named
        }
        return ChatTemplate.detect(templateText: override, bosText: detected.bosText, eosText: detected.eosText)
    }

    /// The prompt text `template` gives the model: the system and user messages, then the assistant's turn.
    static func render(_ template: ChatTemplate, system: String?, prompt: String) -> String {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(prompt))
        return template.render(messages, addGenerationPrompt: true)
    }

    // MARK: - Generation

    /// Generates the answer to a rendered prompt: up to `settings.maxTokens` tokens, ending early at an
    /// end-of-generation token or when the context is full.
    ///
    /// - Throws: ``ItemFailure`` when the prompt does not fit the context; the model's error otherwise.
    func generate(rendered: String, settings: GenerationSettings) throws -> String {
        let prompt = tokenizer.encode(rendered)
        guard !prompt.isEmpty else { throw ItemFailure("the rendered prompt has no tokens") }
        guard prompt.count < context.contextLength else {
            throw ItemFailure("the prompt has \(prompt.count) tokens but the context holds \(context.contextLength)")
        }
        let sampling = settings.sampling
        let sampler: Sampler
        if let existing = self.sampler {
            try existing.reset(parameters: sampling, history: prompt)
            sampler = existing
        } else {
            sampler = try Sampler(parameters: sampling, vocabularySize: context.model.configuration.vocabularySize)
            sampler.reset(history: prompt)
            self.sampler = sampler
        }

        context.reset()
        try context.evaluate(prompt)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var text = ""
        for produced in 1...settings.maxTokens {
            let token = sampler.sample(context.logits())
            sampler.accept(token)
            if tokenizer.isEndOfGeneration(token) { break }
            text += decoder.append(token)
            if produced == settings.maxTokens || context.position >= context.contextLength { break }
            try context.evaluate([token])
        }
        return text + decoder.flush()
    }
}

/// One item could not be generated (the others go on); the message says why.
struct ItemFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
