import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge overfit`.
struct OverfitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overfit", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge overfit is not built yet") }
}
