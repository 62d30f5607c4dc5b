import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge run`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge run is not built yet") }
}
