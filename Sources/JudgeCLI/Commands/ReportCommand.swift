import ArgumentParser
import Comparisons
import Evaluation
import Foundation
import Judge
import Rank
import Report
import Store
import Suite

/// `judge report SUITE.yaml`: the self-contained HTML report, the Markdown summary and the ratings
/// of one suite, from what the store holds.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.html, report.md, ratings.json and ratings.csv for a suite.",
        discussion: """
        report.html is one self-contained file (inline CSS and SVG, no script, no external request) \
        with the leaderboard, a ratings chart, the win-rate heatmap, ratings per task, judge health \
        and sample comparisons. report.md is a GitHub-flavoured summary for a pull-request comment. \
        Every model output and judge reply is escaped. The report rates one judge configuration — the \
        suite's current judge, or --judge's — and names it in its header and in ratings.json, with its \
        reliability (reliable, biased or unreliable). An unreliable judge is said first: on stderr, in the \
        report's first line and its header. Exit status 4 with --strict when the judge is unreliable.
        """
    )

    @Argument(help: "The suite file (YAML).")
    var suite: String
    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Output directory (default: reports/SUITE-NAME).")
    var out: String?
    @OptionGroup var rating: RatingArguments
    @OptionGroup var reporting: ReportArguments
    @OptionGroup var judgeChoice: JudgeChoiceOptions
    @OptionGroup var strictOption: StrictOption

    func validate() throws {
        try rating.check()
        try reporting.check()
        try judgeChoice.check()
    }

    func run() async throws {
        let suiteFile = URL(fileURLWithPath: suite)
        let definition = try Suite.load(from: suiteFile)
        // A report compares the suite's models; with fewer than two it would show whatever else the store holds.
        guard definition.models.count >= 2 else {
            throw ValidationError("\(suiteFile.path): a report compares the suite's models, and it lists \(definition.models.count); add at least two under models:")
        }
        let judgeStore = try store.openForReading(suiteFile: suiteFile)
        guard let newest = try StoreDates.newestJudgment(store: judgeStore, suites: [definition.name]) else {
            throw ReportError.emptyStore(store.path(suiteFile: suiteFile))
        }
        let judge = try ComparisonReader(store: judgeStore).configuration(
            suites: [definition.name], selection: judgeChoice.selection, current: try definition.judge.configuration())
        // "As of" the rated configuration's newest judgment (another judge's later run changes nothing here).
        let asOf = try StoreDates.newestJudgment(store: judgeStore, suites: [definition.name], judge: judge) ?? newest
        var builder = ReportBuilder(store: judgeStore, options: rating.options, sampleLimit: reporting.samples)
        builder.onPhase = reporting.phaseTimer
        var data = try builder.build(suites: [definition.name], judge: judge, title: definition.name, asOf: asOf)
        data.agreement = try AgreementVotes.report(suite: definition, reader: ComparisonReader(store: judgeStore), judge: judge,
                                                   options: rating.options)
        let directory = URL(fileURLWithPath: out ?? "reports/\(definition.name)", isDirectory: true)
        try ReportFiles.write(data, to: directory)
        for name in ReportFiles.make(data).files.map(\.name) {
            print(directory.appendingPathComponent(name).path)
        }
        if strictOption.warn(data.judgeReliability, context: "judge report") { throw ExitCode(StrictOption.unreliableJudgeStatus) }
    }
}
