import ArgumentParser
import Foundation
import LocalInference
import OpenAIWire
import Suite

/// `judge run`: one completion from a local GGUF model, streamed to stdout as it is generated.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate a completion for a prompt with a local GGUF model.",
        discussion: """
            The prompt is wrapped in the model's chat template (recognized from tokenizer.chat_template, \
            with the default system message it inserts) unless --raw is given; --template NAME chooses \
            another template (\(ChatTemplate.Kind.allCases.map(\.rawValue).joined(separator: ", "))).

            Sampling follows llama.cpp: repetition penalty, then top-k, top-p, min-p, then temperature; \
            --temperature 0 is greedy. The same --seed gives the same text.

            Only the completion goes to stdout; timings and the finish reason go to stderr.
            """
    )

    // MARK: - Options

    @Option(name: .long, help: "The GGUF model file.")
    var model: String

    @Option(name: .long, help: "The user's message (with --raw: the whole prompt text).")
    var prompt: String

    @Option(name: .long, help: "A system message (default: the template's own, if it has one).")
    var system: String?

    @Flag(name: .long, help: "Send the prompt as it is, without a chat template (special tokens in it are parsed).")
    var raw = false

    @Option(name: .long, help: "Use this chat template instead of the model's.")
    var template: String?

    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "The most tokens to generate.")
    var maxTokens = 256

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Keep the k most likely tokens (0: all).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Keep the most likely tokens whose probability adds up to p (1: all).")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens less likely than min-p times the most likely one (0: none).")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty on tokens among the last --repeat-last-n (1: off).")
    var repeatPenalty: Float = 1.0

    @Option(name: .customLong("repeat-last-n"), parsing: .unconditional, help: "How many recent tokens the repetition penalty looks at.")
    var repeatLastN = 64

    @Option(name: .long, help: "Seed of the sampler's random stream.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Stop before this text (repeatable); it is never printed.")
    var stop: [String] = []

    @Option(name: .long, help: "Context length in tokens (default: the model's, at most 4096).")
    var context: Int?

    @Flag(name: .long, help: "Also print the CPU, the kernels chosen for it and the engine's threads (stderr).")
    var verbose = false

    // MARK: - Checks

    var sampling: SamplingParameters {
        SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP,
                           repeatPenalty: repeatPenalty, repeatLastN: repeatLastN, seed: seed)
    }

    func validate() throws {
        try ModelFileOption.checkReadable(model, option: "--model")
        try SettingCheck.check(maxTokens, SettingLimits.maxTokens, option: "--max-tokens")
        try SettingCheck.check(repeatLastN, SettingLimits.repeatLastN, option: "--repeat-last-n")
        try SettingCheck.check(topK, SettingLimits.topK, option: "--top-k")
        try SettingCheck.check(context, SettingLimits.contextLength, option: "--context")
        guard temperature >= 0 else { throw ValidationError("--temperature \(temperature): expected a number ≥ 0 (0 is greedy)") }
        do {
            try sampling.validate()
        } catch let SamplingError.invalid(name, value, expected) {
            throw ValidationError("--\(name) \(value): expected \(expected)")
        }
        if stop.contains(where: \.isEmpty) { throw ValidationError("--stop \"\": a stop string cannot be empty") }
        if let context, context < 2 { throw ValidationError("--context \(context): expected an integer ≥ 2") }
        if raw && system != nil { throw ValidationError("--system needs a chat template: drop --raw, or write the system text into --prompt") }
        if raw && template != nil { throw ValidationError("--template and --raw exclude each other: choose one") }
        if let template, ChatTemplate(name: template) == nil {
            throw ValidationError("--template \(template): unknown template; known: \(ChatTemplate.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    // MARK: - Run

    func run() async throws {
        do {
            try generate()
        } catch let error as ExitCode {
            throw error
        } catch {
            Diagnostics.error(error)
            throw ExitCode.failure
        }
    }

    private func generate() throws {
        let started = Date()
        let file = try GGUFFile(url: URL(fileURLWithPath: model))
        let engine = EngineConfiguration.fromEnvironment()
        if verbose { Diagnostics.note("judge run: " + CPUFeatures.engineReport(engine)) }
        let llama = try LlamaModel(file: file, engine: engine)
        let tokenizer = try Tokenizer(file: file)
        let promptText: String
        if raw {
            promptText = prompt
        } else {
            var chatTemplate = ChatTemplate.detect(file: file)
            if template == nil, let guessed = chatTemplate.guessed { Diagnostics.note("warning: \(model): \(guessed)") }
            if let template, let named = ChatTemplate(name: template, defaultSystem: chatTemplate.defaultSystem,
                                                     bosText: chatTemplate.bosText, eosText: chatTemplate.eosText) {
                chatTemplate = named
            }
            var messages: [ChatMessage] = []
            if let system { messages.append(.system(system)) }
            messages.append(.user(prompt))
            promptText = chatTemplate.render(messages, addGenerationPrompt: true)
        }
        let promptTokens = tokenizer.encode(promptText)
        let contextLength = context ?? min(llama.configuration.contextLength, 4096)
        let generator = try Generator(model: llama, tokenizer: tokenizer, contextLength: contextLength)
        let parameters = GenerationParameters(maxTokens: maxTokens, sampling: sampling, stopStrings: stop)

        let loaded = Date()
        let stream = try generator.generate(prompt: promptTokens, parameters: parameters)
        let prefilled = Date()
        while let step = try stream.next() {
            if !step.text.isEmpty {
                FileHandle.standardOutput.write(Data(step.text.utf8))
            }
        }
        FileHandle.standardOutput.write(Data("\n".utf8))
        let finished = Date()
        let generated = stream.completionTokenCount
        Diagnostics.note(String(
            format: "judge run: %d prompt tokens, %d generated, finish: %@; load %.2f s, prompt %.1f tok/s, generation %.1f tok/s",
            stream.promptTokenCount, generated, stream.finishReason?.rawValue ?? "?",
            loaded.timeIntervalSince(started),
            Double(stream.promptTokenCount) / max(prefilled.timeIntervalSince(loaded), 1e-9),
            Double(generated) / max(finished.timeIntervalSince(prefilled), 1e-9)))
    }
}
