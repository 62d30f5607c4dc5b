import ArgumentParser
import Foundation
import LocalInference

/// `judge perplexity`: how well a local model predicts a text, computed as llama-perplexity computes it.
struct PerplexityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Print the perplexity of a text file under a local GGUF model.",
        discussion: """
            llama-perplexity's method: the file is tokenized once (BOS only when the model's metadata adds it), \
            cut into non-overlapping windows of --context tokens, each evaluated from an empty context (its \
            first token replaced by BOS when the model adds BOS), and only the second half of each window is \
            scored. The file needs at least 2 × --context tokens.

            Output: the perplexity; with --json, {"perplexity": …, "tokens": …} plus the scored token count, \
            windows, context and standard error. Progress goes to stderr.
            """
    )

    @Option(name: .long, help: "The GGUF model file.")
    var model: String

    @Option(name: .long, help: "The text file (UTF-8) to score.")
    var file: String

    @Option(name: .long, help: "Window size in tokens.")
    var context = 512

    @Flag(name: .long, help: "Print a JSON object instead of the bare number.")
    var json = false

    func validate() throws {
        try ModelFileOption.checkReadable(model, option: "--model")
        try ModelFileOption.checkReadable(file, option: "--file")
        guard context >= 4 else { throw ValidationError("--context \(context): expected an integer ≥ 4 (512 is usual)") }
    }

    func run() async throws {
        do {
            try measure()
        } catch {
            Diagnostics.error(error)
            throw ExitCode.failure
        }
    }

    private func measure() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("--file \(file) is not UTF-8 text")
        }
        let gguf = try GGUFFile(url: URL(fileURLWithPath: model))
        let llama = try LlamaModel(file: gguf, engine: .fromEnvironment())
        let tokenizer = try Tokenizer(file: gguf)
        let perplexity = try Perplexity(model: llama, tokenizer: tokenizer, context: context)
        let started = Date()
        let result = try perplexity.measure(text: text) { window, windows in
            Diagnostics.note(String(format: "perplexity: window %d/%d (%.1f s)", window, windows,
                                    Date().timeIntervalSince(started)))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(format: "%.4f", result.perplexity))
        }
        Diagnostics.note(String(format: "perplexity: %.4f ± %.4f over %d tokens (%d windows of %d, %d scored)",
                                result.perplexity, result.standardError, result.tokens, result.windows,
                                result.context, result.scoredTokens))
    }
}
