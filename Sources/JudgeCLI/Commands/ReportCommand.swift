import ArgumentParser

// PLACEHOLDER laid down with the package skeleton; replaced by the issue that owns `judge report`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("judge report is not built yet") }
}
