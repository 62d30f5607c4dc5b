import Foundation
import LocalInference

// MARK: - LocalEngine

/// The local GGUF model as a `CompletionEngine`: the model's chat template and tokenizer turn messages into
/// a prompt; each running sequence gets a `Generator` (one `InferenceContext`, i.e. one KV cache of
/// `contextLength` positions) from a pool that grows to the scheduler's `parallel` and is reused.
///
/// `step(_:)` advances the sequences one after another; a batched kernel (one pass over the weights for
/// every sequence) can replace that loop without touching the scheduler or the HTTP side.
///
/// ```swift
/// let engine = try LocalEngine(modelURL: url, contextLength: 2048)
/// let server = ChatServer(engine: engine, configuration: .init(port: 0, parallel: 4))
/// ```
public final class LocalEngine: CompletionEngine, @unchecked Sendable {
    public let modelID: String
    public let contextLength: Int
    let model: LlamaModel
    /// Immutable after init: used by `prepare` on any thread.
    let tokenizer: Tokenizer
    let template: ChatTemplate
    /// Generators not running a sequence. The scheduler thread's only (`makeSequence`, `retire`).
    private var idle: [Generator] = []

    /// Loads the model (weights stay mapped) and its tokenizer, and picks the chat template.
    /// - Parameters:
    ///   - contextLength: positions per sequence, prompt and completion together.
    ///   - chatTemplate: a template name overriding the one recognized from the model.
    ///   - modelID: the name `/v1/models` lists; default: the file name without `.gguf`.
    public init(modelURL: URL, contextLength: Int, chatTemplate: String? = nil, modelID: String? = nil) throws {
        let file = try GGUFFile(url: modelURL)
        model = try LlamaModel(file: file, contextLength: contextLength)
        tokenizer = try Tokenizer(file: file)
        let detected = ChatTemplate.detect(file: file)
        if let chatTemplate {
            guard let named = ChatTemplate(name: chatTemplate, bosText: detected.bosText, eosText: detected.eosText) else {
                throw LocalEngineError.unknownTemplate(chatTemplate)
            }
            template = named
        } else {
            template = detected
        }
        self.contextLength = model.configuration.contextLength
        self.modelID = modelID ?? modelURL.deletingPathExtension().lastPathComponent
    }

    // MARK: - CompletionEngine

    public func prepare(_ request: CompletionRequest) throws -> PreparedCompletion {
        let messages = request.messages.map { turn -> ChatMessage in
            switch turn.role {
            case .system: return .system(turn.content)
            case .user: return .user(turn.content)
            case .assistant: return .assistant(turn.content)
            }
        }
        let prompt = tokenizer.encode(template.render(messages, addGenerationPrompt: true))
        return PreparedCompletion(promptTokens: prompt, settings: request.settings)
    }

    public func makeSequence(for prepared: PreparedCompletion) throws -> any GenerationSequence {
        let generator = try idle.popLast() ?? makeGenerator()
        return LocalSequence(generator: generator, prompt: prepared.promptTokens,
                             parameters: parameters(for: prepared.settings, promptCount: prepared.promptTokens.count))
    }

    public func step(_ batch: [any GenerationSequence]) -> [Result<SequenceStep, Error>] {
        batch.map { sequence in Result { try advance(sequence as! LocalSequence) } }
    }

    public func retire(_ sequence: any GenerationSequence) {
        idle.append((sequence as! LocalSequence).generator)
    }

    // MARK: - Sequences

    private func makeGenerator() throws -> Generator {
        try Generator(model: model, tokenizer: tokenizer, contextLength: contextLength)
    }

    /// Our settings in the engine's terms; no `max_tokens` means up to the end of the context.
    private func parameters(for settings: GenerationSettings, promptCount: Int) -> GenerationParameters {
        let sampling = SamplingParameters(
            temperature: Float(settings.temperature), topK: settings.topK, topP: Float(settings.topP),
            minP: Float(settings.minP), repeatPenalty: Float(settings.repeatPenalty), seed: settings.seed)
        return GenerationParameters(maxTokens: settings.maxTokens ?? max(1, contextLength - promptCount), sampling: sampling,
                                    stopStrings: settings.stop, topLogprobs: settings.topLogprobs)
    }

    /// One token: the first call evaluates the prompt, then every call samples (and evaluates) one token.
    private func advance(_ sequence: LocalSequence) throws -> SequenceStep {
        if sequence.stream == nil {
            sequence.stream = try sequence.generator.generate(prompt: sequence.prompt, parameters: sequence.parameters)
        }
        let stream = sequence.stream!
        guard let step = try stream.next() else { throw LocalEngineError.steppedAfterEnd }
        // The end-of-generation token is counted (as OpenAI counts it) but not reported: it has no text.
        let token = tokenizer.isEndOfGeneration(step.token) ? nil : GeneratedToken(
            id: step.token, bytes: tokenizer.pieceBytes(step.token), logprob: step.logprobs?.chosen.logprob,
            topAlternatives: step.logprobs?.top.map {
                TokenAlternative(id: $0.token, bytes: tokenizer.pieceBytes($0.token), logprob: $0.logprob)
            } ?? [])
        let reason = step.finishReason.map { $0 == .stop ? Server.FinishReason.stop : .length }
        return SequenceStep(token: token, text: step.text, finishReason: reason, completionTokens: stream.completionTokenCount)
    }

    /// A running request: its generator (and so its KV cache) and, after the first step, its stream.
    private final class LocalSequence: GenerationSequence {
        let generator: Generator
        let prompt: [Int32]
        let parameters: GenerationParameters
        var stream: GenerationStream?

        init(generator: Generator, prompt: [Int32], parameters: GenerationParameters) {
            self.generator = generator
            self.prompt = prompt
            self.parameters = parameters
        }
    }
}

// MARK: - LocalEngineError

public enum LocalEngineError: Error, CustomStringConvertible {
    case unknownTemplate(String)
    case steppedAfterEnd

    public var description: String {
        switch self {
        case let .unknownTemplate(name):
            return "unknown chat template '\(name)': expected one of \(ChatTemplate.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
        case .steppedAfterEnd:
            return "internal error: a finished sequence was stepped again"
        }
    }
}
