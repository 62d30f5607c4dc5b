import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge leaderboard`.
struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leaderboard", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge leaderboard is not built yet") }
}
