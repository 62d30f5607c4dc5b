import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge compare`.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge compare is not built yet") }
}
