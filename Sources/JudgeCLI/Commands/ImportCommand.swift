import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge import`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge import is not built yet") }
}
