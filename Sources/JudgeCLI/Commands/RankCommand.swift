import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge rank`.
struct RankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rank", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge rank is not built yet") }
}
