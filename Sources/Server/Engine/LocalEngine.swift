import Foundation
import LocalInference

// MARK: - LocalEngine

/// The local GGUF model as a `CompletionEngine`: the model's chat template and tokenizer turn messages into
/// a prompt; each running sequence gets one sequence of a `BatchGenerator` (its own KV cache of
/// `contextLength` positions and sampler); the sequences grow to the scheduler's `parallel` and are reused.
///
/// `step(_:)` evaluates the new sequences' prompts (each in batched chunks), then the pending token of
/// every running sequence in one batched pass, so the weights are read once per step for all of them.
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
    /// The template prompts are rendered with (`guessed` says when it is a fallback).
    public let template: ChatTemplate
    /// The sequences (KV caches, samplers) of every running request. The scheduler thread's only.
    private let generators: BatchGenerator
    /// Sequences of `generators` not running a request. The scheduler thread's only.
    private var idle: [Int] = []

    /// Loads the model (its file read into memory once, so changing the file cannot crash the server) and
    /// its tokenizer, and picks the chat template.
    /// - Parameters:
    ///   - contextLength: positions per sequence, prompt and completion together.
    ///   - chatTemplate: a template name overriding the one recognized from the model.
    ///   - modelID: the name `/v1/models` lists; default: the file name without `.gguf`.
    ///   - engine: the engine's threads and settings.
    public init(modelURL: URL, contextLength: Int, chatTemplate: String? = nil, modelID: String? = nil,
                engine: EngineConfiguration = EngineConfiguration()) throws {
        let file = try GGUFFile(url: modelURL)
        model = try LlamaModel(file: file, contextLength: contextLength, engine: engine)
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
        generators = try BatchGenerator(model: model, tokenizer: tokenizer, sequences: 0, contextLength: contextLength)
        self.modelID = modelID ?? modelURL.deletingPathExtension().lastPathComponent
    }

    // MARK: - CompletionEngine

    public func prepare(_ request: CompletionRequest) throws -> PreparedCompletion {
        let prompt = tokenizer.encode(template.render(request.messages, addGenerationPrompt: true))
        return PreparedCompletion(promptTokens: prompt, settings: request.settings)
    }

    public func makeSequence(for prepared: PreparedCompletion) throws -> any GenerationSequence {
        let index = try idle.popLast() ?? generators.addSequence()
        return LocalSequence(index: index, generator: generators.generator(index), prompt: prepared.promptTokens,
                             parameters: parameters(for: prepared.settings, promptCount: prepared.promptTokens.count))
    }

    /// New sequences first evaluate their prompts (one by one, each in batched chunks); then one batched
    /// pass evaluates the previous token of every running sequence, and each samples its next token.
    public func step(_ batch: [any GenerationSequence]) -> [Result<SequenceStep, Error>] {
        let sequences = batch.map { $0 as! LocalSequence }
        var results = [Result<SequenceStep, Error>?](repeating: nil, count: sequences.count)
        for (i, sequence) in sequences.enumerated() where sequence.stream == nil {
            do {
                sequence.stream = try sequence.generator.generate(prompt: sequence.prompt, parameters: sequence.parameters)
            } catch {
                results[i] = .failure(error)
            }
        }
        let live = sequences.indices.filter { results[$0] == nil }
        let steps = generators.next(live.map { sequences[$0].stream! })
        for (i, step) in zip(live, steps) {
            results[i] = step.flatMap { step in
                guard let step else { return .failure(LocalEngineError.steppedAfterEnd) }
                return .success(report(step, of: sequences[i].stream!))
            }
        }
        return results.map { $0! }
    }

    public func retire(_ sequence: any GenerationSequence) {
        idle.append((sequence as! LocalSequence).index)
    }

    // MARK: - Sequences

    /// Our settings in the engine's terms; no `max_tokens` means up to the end of the context.
    private func parameters(for settings: GenerationSettings, promptCount: Int) -> GenerationParameters {
        let sampling = SamplingParameters(
            temperature: Float(settings.temperature), topK: settings.topK, topP: Float(settings.topP),
            minP: Float(settings.minP), repeatPenalty: Float(settings.repeatPenalty), seed: settings.seed)
        return GenerationParameters(maxTokens: settings.maxTokens ?? max(1, contextLength - promptCount), sampling: sampling,
                                    stopStrings: settings.stop, topLogprobs: settings.topLogprobs)
    }

    /// One generated token in the server's terms.
    private func report(_ step: GenerationStep, of stream: GenerationStream) -> SequenceStep {
        // The end-of-generation token is counted (as OpenAI counts it) but not reported: it has no text.
        let token = tokenizer.isEndOfGeneration(step.token) ? nil : GeneratedToken(
            id: step.token, bytes: tokenizer.pieceBytes(step.token), logprob: step.logprobs?.chosen.logprob,
            topAlternatives: step.logprobs?.top.map {
                TokenAlternative(id: $0.token, bytes: tokenizer.pieceBytes($0.token), logprob: $0.logprob)
            } ?? [])
        let reason = step.finishReason.map { $0 == .stop ? Server.FinishReason.stop : .length }
        return SequenceStep(token: token, text: step.text, finishReason: reason, completionTokens: stream.completionTokenCount)
    }

    /// A running request: its sequence of the batch (and so its KV cache) and, after the first step, its stream.
    private final class LocalSequence: GenerationSequence {
        let index: Int
        let generator: Generator
        let prompt: [Int32]
        let parameters: GenerationParameters
        var stream: GenerationStream?

        init(index: Int, generator: Generator, prompt: [Int32], parameters: GenerationParameters) {
            self.index = index
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
