import ArgumentParser
import Comparisons
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
    @OptionGroup var rating: ReportRatingOptions
    @OptionGroup var judgeChoice: JudgeChoiceOptions
    @OptionGroup var strictOption: StrictOption

    func validate() throws {
        try rating.check()
        try judgeChoice.check()
    }

    func run() async throws {
        let suiteFile = URL(fileURLWithPath: suite)
        let definition = try Suite.load(from: suiteFile)
        let path = store.path(suiteFile: suiteFile)
        let judgeStore = try ReportRatingOptions.openExisting(path)
        guard let asOf = try StoreDates.newestJudgment(store: judgeStore, suites: [definition.name]) else {
            throw ReportError.emptyStore(path)
        }
        let judge = try ComparisonReader(store: judgeStore).configuration(
            suites: [definition.name], selection: judgeChoice.selection, current: try definition.judge.configuration())
        var data = try rating.builder(judgeStore).build(suites: [definition.name], judge: judge, title: definition.name, asOf: asOf)
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

// MARK: - Options shared by `judge report` and `judge leaderboard`

struct ReportRatingOptions: ParsableArguments {
    @Option(name: .long, help: "Pin a model's rating, e.g. gpt-4=1000 (default: mean rating 1000).")
    var anchor: String?
    @Option(name: .long, help: "Bootstrap rounds for the 95% intervals.")
    var bootstrap = 1000
    @Option(name: .long, help: "Seed of the bootstrap (the same store and seed give the same report).")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Sample comparisons per suite shown in the report.")
    var samples = 12
    @Flag(name: .long, help: "Print how long each phase took, on stderr.")
    var verbose = false

    /// A builder that reports phase timings on stderr under `--verbose`.
    func builder(_ store: JudgeStore) -> ReportBuilder {
        var builder = ReportBuilder(store: store, options: options, sampleLimit: samples)
        if verbose {
            builder.onPhase = { name, seconds in
                FileHandle.standardError.write(Data((String(format: "%8.3f s  ", seconds) + name + "\n").utf8))
            }
        }
        return builder
    }

    func check() throws {
        if let anchor, RatingOptions.Anchor(parsing: anchor) == nil {
            throw ValidationError("--anchor must be MODEL=RATING, e.g. gpt-4=1000 (got '\(anchor)')")
        }
        if bootstrap < 0 { throw ValidationError("--bootstrap must be ≥ 0") }
        if samples < 0 { throw ValidationError("--samples must be ≥ 0") }
    }

    var options: RatingOptions {
        var o = RatingOptions()
        o.anchor = anchor.flatMap(RatingOptions.Anchor.init(parsing:))
        o.bootstrapRounds = bootstrap
        o.seed = seed
        return o
    }

    /// Opens a store that must already exist: a report of a missing store is a mistake in the path,
    /// not a reason to create an empty one.
    static func openExisting(_ path: String) throws -> JudgeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no store at \(path); pass --db PATH, or run `judge compare` first")
        }
        return try JudgeStore(readingAt: path)
    }
}
