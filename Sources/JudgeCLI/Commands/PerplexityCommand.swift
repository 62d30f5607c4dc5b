import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge perplexity`.
struct PerplexityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "perplexity", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge perplexity is not built yet") }
}
