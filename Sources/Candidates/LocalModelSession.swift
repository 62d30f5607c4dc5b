import Foundation
import LocalInference
import OpenAIWire
import Suite

// MARK: - LocalModelSession

/// One loaded GGUF model ready to answer chat prompts: its weights, tokenizer, chat template and a
/// `BatchGenerator` (up to `batchSize` sequences decoded together), all made once and reused for every item.
///
/// Seeded per item: each sequence's sampler is reset with the model's seed when it takes an item, so an
/// item's output depends only on the model, its settings and the prompt — never on which items ran before
/// it or beside it in the batch (which is what lets candidates be keyed and reused one by one).
final class LocalModelSession {
    let name: String
    let path: URL
    let template: ChatTemplate
    /// The template's name as recorded in the key (the override's name, or the detected kind).
    let templateName: String
    private let tokenizer: Tokenizer
    private let model: LlamaModel
    /// Positions of each sequence.
    private let contextLength: Int
    private var generator: BatchGenerator?

    /// The largest context allocated for generation; prompts and outputs of suites are far shorter.
    static let maxContext = 4096
    /// Items decoded together: each step reads the weights once for all of them.
    static let batchSize = 16

    /// Loads the model's weights and tokenizer from `file` (parsed already, for its template).
    init(name: String, file: GGUFFile, path: URL, template: ChatTemplate) throws {
        self.name = name
        self.path = path
        self.template = template
        templateName = template.kind.rawValue
        do {
            model = try LlamaModel(file: file)
            tokenizer = try Tokenizer(file: file)
            contextLength = min(model.configuration.contextLength, Self.maxContext)
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

    /// Generates the answers to rendered prompts, up to `batchSize` at a time: each up to
    /// `settings.maxTokens` tokens, ending early at an end-of-generation token or when the context is full.
    /// `completed` gets each answer (or its ``ItemFailure``: a prompt that is empty or does not fit the
    /// context) as soon as it is finished, in finishing order. No new item starts once `shouldStop` is true.
    ///
    /// - Throws: the model's error, or what `completed` throws.
    func generate(rendered: [String], settings: GenerationSettings, shouldStop: () -> Bool,
                  completed: (Int, Result<String, ItemFailure>) throws -> Void) throws {
        let prompts = rendered.map { tokenizer.encode($0) }
        var runnable: [Int] = []
        for (i, prompt) in prompts.enumerated() {
            if prompt.isEmpty {
                try completed(i, .failure(ItemFailure("the rendered prompt has no tokens")))
            } else if prompt.count >= contextLength {
                try completed(i, .failure(ItemFailure("the prompt has \(prompt.count) tokens but the context holds \(contextLength)")))
            } else {
                runnable.append(i)
            }
        }
        guard !runnable.isEmpty else { return }
        let batch = try batchGenerator(sequences: min(runnable.count, Self.batchSize))
        let parameters = GenerationParameters(maxTokens: settings.maxTokens, sampling: settings.sampling)
        try batch.complete(prompts: runnable.map { prompts[$0] }, parameters: parameters, shouldStop: shouldStop) { index, result in
            try completed(runnable[index], .success(try result.get().text))
        }
    }

    /// The session's batch generator with at least `sequences` sequences (made on first use).
    private func batchGenerator(sequences: Int) throws -> BatchGenerator {
        let batch = try generator ?? BatchGenerator(model: model, tokenizer: tokenizer, sequences: 0, contextLength: contextLength)
        generator = batch
        while batch.sequenceCount < sequences { try batch.addSequence() }
        return batch
    }
}

/// One item could not be generated (the others go on); the message says why.
struct ItemFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
