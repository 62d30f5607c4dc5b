import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge tokenize`.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge tokenize is not built yet") }
}
