import Comparisons
import Foundation
import Rank
import Report
import Store
import Suite

extension CompareCommand {
    // MARK: - Ratings and the report

    /// Ranks the suite's stored comparisons and writes report.html, report.md, ratings.json and ratings.csv
    /// with the same code as `judge report`; prints the leaderboard, the held-out verdict and the files.
    ///
    /// Prints the judge's reliability (and warns on stderr when it is unreliable) before the held-out answer.
    ///
    /// - Returns: the exit status: 4 under `--strict` when the judge is unreliable; else the held-out
    ///   check's, unless `--no-overfit-status`: 0 generalizes (or no held-out task, or the check could
    ///   not run), 3 overfit suspected, 5 inconclusive.
    func writeReport(suite: Suite, store judgeStore: JudgeStore, judge: JudgeConfiguration) throws -> Int32 {
        guard let asOf = try StoreDates.newestJudgment(store: judgeStore, suites: [suite.name]) else {
            throw ReportError.emptyStore(store.path(suiteFile: suite.file))
        }
        var data = try rating.builder(judgeStore).build(suites: [suite.name], judge: judge, title: suite.name, asOf: asOf)
        data.agreement = try AgreementVotes.report(suite: suite, reader: ComparisonReader(store: judgeStore), judge: judge,
                                                   options: rating.options)
        let directory = URL(fileURLWithPath: out ?? "reports/\(suite.name)", isDirectory: true)
        try ReportFiles.write(data, to: directory)

        print("")
        print(Self.table(data.leaderboard))
        for note in data.notes { print("note: \(note)") }
        let strictFails = strictOption.warn(data.judgeReliability, context: "judge compare")
        if let reliability = data.judgeReliability { print("judge reliability: \(reliability.summary)") }
        if let overfit = data.overfit {
            print("held-out check (\(overfit.heldOutTasks.joined(separator: ", "))): \(overfit.verdict)")
        } else if suite.tasks.contains(where: \.heldOut) {
            print("held-out check: not run (no resolved comparisons on both the development and the held-out tasks)")
        }
        print("")
        print("report:")
        for name in ReportFiles.make(data).files.map(\.name) {
            print("  " + directory.appendingPathComponent(name).path)
        }
        if strictFails { return StrictOption.unreliableJudgeStatus }
        return noOverfitStatus ? 0 : data.overfit?.exitStatus ?? 0
    }

    /// The leaderboard as an aligned table: place, model, rating, 95% interval, comparisons, wins/losses/ties.
    static func table(_ rows: [LeaderboardRow]) -> String {
        let header = ["#", "model", "rating", "95% CI", "n", "W", "L", "T"]
        let body = rows.map { r in
            ["\(r.rank)", r.model, String(format: "%.1f", r.rating),
             String(format: "[%.1f, %.1f]", r.ciLow, r.ciHigh),
             "\(r.comparisons)", "\(r.wins)", "\(r.losses)", "\(r.ties)"]
        }
        return TextTable(header: header, leftAligned: [1]).lines(body).joined(separator: "\n")
    }
}
