import ArgumentParser
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
        is then left intact.
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
    @OptionGroup var rating: ReportRatingOptions

    func validate() throws {
        try rating.check()
        if let date, !LeaderboardDate.isValid(date) {
            throw ValidationError("--date must be a calendar date YYYY-MM-DD (got '\(date)')")
        }
        if out.isEmpty { throw ValidationError("--out must name a directory") }
    }

    func run() async throws {
        let path = store.path(suiteFile: nil)
        let judgeStore = try ReportRatingOptions.openExisting(path)
        let known = try judgeStore.suiteNames()
        let suites = suite.isEmpty ? known : suite
        if let missing = suites.first(where: { !known.contains($0) }) {
            throw ValidationError("no suite '\(missing)' in \(path) (it has: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        guard !suites.isEmpty else { throw ReportError.emptyStore(path) }
        guard let asOf = try date ?? StoreDates.newestJudgment(store: judgeStore, suites: suites) else {
            throw ReportError.emptyStore(path)
        }
        let name = title ?? (suites.count == 1 ? suites[0] : "leaderboard")
        let data = try rating.builder(judgeStore).build(suites: suites, title: name, asOf: asOf)
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let board = LeaderboardDirectory(directory: directory)
        let written = try board.write(data)
        let current = try board.withHistory(data)
        for row in current.leaderboard {
            print("\(row.rank)\t\(row.model)\t\(String(format: "%.1f", row.rating))\t\(row.change.map { String(format: "%+.1f", $0) } ?? "new")")
        }
        FileHandle.standardError.write(Data("leaderboard: \(asOf), \(written.count) files in \(board.latest.path)\n".utf8))
    }
}
