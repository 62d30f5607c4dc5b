import ArgumentParser

/// The `judge` command: suite → candidates → comparisons → verdicts → ratings → reports.
///
/// Each subcommand is its own type in `Commands/`, one per file. Results go to stdout;
/// diagnostics and progress go to stderr.
@main
struct JudgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "An LLM-as-judge evaluation harness: pairwise judging, Bradley-Terry ratings, reports.",
        subcommands: [
            // MARK: - Candidates (local engine)
            RunCommand.self,
            TokenizeCommand.self,
            PerplexityCommand.self,
            ServeCommand.self,
            BenchModelCommand.self,
            // MARK: - Comparisons and verdicts
            ImportCommand.self,
            CompareCommand.self,
            // MARK: - Ratings
            RankCommand.self,
            OverfitCommand.self,
            AgreementCommand.self,
            // MARK: - Reports
            ReportCommand.self,
            LeaderboardCommand.self,
            // MARK: - The store
            StoreCommand.self,
        ]
    )
}
