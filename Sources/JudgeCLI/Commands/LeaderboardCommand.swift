import ArgumentParser
import Comparisons
import Foundation
import Report
import Store

/// `judge leaderboard --out DIR`: the nightly regeneration of a leaderboard directory.
///
/// Idempotent (the same store gives byte-identical files: the snapshot date is the newest
/// judgment's, never the clock), atomic (each run is written into DIR/runs/run-N and DIR/latest switches
/// to it in one rename; a failed run leaves the previous leaderboard as it was), and it keeps
/// DIR/history/YYYY-MM-DD.json per run, from which each model's change and the rating-over-time chart
/// are drawn.
struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Regenerate a leaderboard directory from the store (for a nightly job).",
        discussion: """
        Writes DIR/report.html, report.md, ratings.json, ratings.csv and DIR/history/DATE.json, \
        where DATE is the day of the newest judgment (or --date). Each run goes into a new \
        DIR/runs/run-N, and DIR/latest switches to it in one rename once it is complete; the names \
        above are links through DIR/latest. A reader that resolves DIR/latest once and reads from \
        there never sees files of two runs. Running it again on the same store changes nothing. \
        Exits non-zero, with the reason on stderr, when anything fails; the previous leaderboard \
        is then left intact. Each board rates one judge configuration: \
        --judge's; else, when the suites were judged by one configuration, that one in DIR itself; \
        else one board per configuration, in DIR/judge-ID (ID as `judge rank --list-judges` prints it). \
        Each board shows its judge's reliability; an unreliable judge is warned about on stderr and said \
        first on the page. Exit status 4 with --strict when a board's judge is unreliable (the boards are \
        still written).
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "The leaderboard directory.")
    var out: String
    @Option(name: .long, help: "Only this suite (repeatable; default: every suite in the store).")
    var suite: [String] = []
    @Option(name: .long, help: "The snapshot date, YYYY-MM-DD (default: the day of the newest judgment, UTC).")
    var date: String?
    @Option(name: .long, help: "The page title (default: the suite name, or \"leaderboard\").")
    var title: String?
    @OptionGroup var rating: RatingArguments
    @OptionGroup var reporting: ReportArguments
    @OptionGroup var judgeChoice: JudgeChoiceOptions
    @OptionGroup var strictOption: StrictOption

    func validate() throws {
        try rating.check()
        try reporting.check()
        try judgeChoice.check()
        if let date, !LeaderboardDate.isValid(date) {
            throw ValidationError("--date must be a calendar date YYYY-MM-DD (got '\(date)')")
        }
        if out.isEmpty { throw ValidationError("--out must name a directory") }
    }

    func run() async throws {
        let path = store.path(suiteFile: nil)
        let judgeStore = try store.openForReading(suiteFile: nil)
        let known = try judgeStore.suiteNames()
        let suites = suite.isEmpty ? known : suite
        if let missing = suites.first(where: { !known.contains($0) }) {
            throw ValidationError("no suite '\(missing)' in \(path) (it has: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        guard !suites.isEmpty else { throw ReportError.emptyStore(path) }
        guard let newest = try date ?? StoreDates.newestJudgment(store: judgeStore, suites: suites) else {
            throw ReportError.emptyStore(path)
        }
        let name = title ?? (suites.count == 1 ? suites[0] : "leaderboard")
        let reader = ComparisonReader(store: judgeStore)
        let boards: [(judge: JudgeConfiguration, directory: URL)]
        let root = URL(fileURLWithPath: out, isDirectory: true)
        if judgeChoice.selection != nil {
            boards = [(try reader.configuration(suites: suites, selection: judgeChoice.selection, current: nil), root)]
        } else {
            let found = try reader.configurations(suites: suites).map(\.configuration)
            guard !found.isEmpty else { throw ReportError.emptyStore(path) }
            boards = found.count == 1 ? [(found[0], root)]
                : found.map { ($0, root.appendingPathComponent("judge-\($0.shortID)", isDirectory: true)) }
        }
        var written: [String] = []
        var unreliable = false
        var builder = ReportBuilder(store: judgeStore, options: rating.options, sampleLimit: reporting.samples)
        builder.onPhase = reporting.phaseTimer
        for (judge, directory) in boards {
            // Each board is dated by its configuration's newest judgment (or --date).
            let asOf = try date ?? StoreDates.newestJudgment(store: judgeStore, suites: suites, judge: judge) ?? newest
            let data: ReportData
            do {
                data = try builder.build(suites: suites, judge: judge, title: name, asOf: asOf)
            } catch let error as ReportError where boards.count > 1 {
                // One board per configuration: a configuration with nothing resolved has no board.
                Diagnostics.note("leaderboard: no board for \(judge.shortID) (\(judge.description)): \(error)")
                continue
            }
            let board = LeaderboardDirectory(directory: directory)
            written += try board.write(data)
            if strictOption.warn(data.judgeReliability, context: "judge leaderboard: \(judge.shortID)") { unreliable = true }
            let current = try board.withHistory(data)
            if boards.count > 1 { print("# \(judge.shortID): \(judge.description) (\(directory.path))") }
            for row in current.leaderboard {
                print("\(row.rank)\t\(row.model)\t\(String(format: "%.1f", row.rating))\t\(row.change.map { String(format: "%+.1f", $0) } ?? "new")")
            }
        }
        let directory = root
        FileHandle.standardError.write(Data("leaderboard: \(newest), \(written.count) files in \(directory.path)\n".utf8))
        if unreliable { throw ExitCode(StrictOption.unreliableJudgeStatus) }
    }
}
