import Comparisons
import Foundation
import Rank
import Report
import Store
import Suite

extension ComparePipeline {
    // MARK: - Ratings and the report

    /// Ranks the suite's stored comparisons and writes report.html, report.md, ratings.json and ratings.csv
    /// with the same code as `judge report`; prints the leaderboard, the held-out verdict and the files.
    ///
    /// Prints the judge's reliability before the held-out answer, and says first, on the notes (stderr),
    /// when the judge is unreliable. With `human_labels:` in the suite the report carries the agreement.
    ///
    /// - Returns: the held-out check's exit status (0 generalizes — or no held-out task, or the check
    ///   could not run —, 3 overfit suspected, 5 inconclusive) and whether the judge is unreliable.
    func writeReport(_ judged: Judged) throws -> (heldOutStatus: Int32, judgeUnreliable: Bool) {
        let suite = judged.suite
        guard let asOf = try StoreDates.newestJudgment(store: judged.store, suites: [suite.name], judge: judged.judge) else {
            throw ReportError.emptyStore(storePath(suite))
        }
        var builder = ReportBuilder(store: judged.store, options: request.rating, sampleLimit: request.sampleLimit)
        builder.onPhase = request.onPhase
        var data = try builder.build(suites: [suite.name], judge: judged.judge, title: suite.name, asOf: asOf)
        data.agreement = try AgreementVotes.report(suite: suite, reader: ComparisonReader(store: judged.store), judge: judged.judge,
                                                   options: request.rating)
        let directory = URL(fileURLWithPath: request.out ?? "reports/\(suite.name)", isDirectory: true)
        try ReportFiles.write(data, to: directory)

        output.print("")
        output.print(Self.table(data.leaderboard))
        for note in data.notes { output.print("note: \(note)") }
        if let warning = data.judgeReliability?.warning { output.note("warning: judge compare: \(warning)") }
        if let reliability = data.judgeReliability { output.print("judge reliability: \(reliability.summary)") }
        if let overfit = data.overfit {
            output.print("held-out check (\(overfit.heldOutTasks.joined(separator: ", "))): \(overfit.verdict)")
        } else if suite.tasks.contains(where: \.heldOut) {
            output.print("held-out check: not run (no resolved comparisons on both the development and the held-out tasks)")
        }
        output.print("")
        output.print("report:")
        for name in ReportFiles.make(data).files.map(\.name) {
            output.print("  " + directory.appendingPathComponent(name).path)
        }
        return (data.overfit?.exitStatus ?? 0, data.judgeReliability?.status == .unreliable)
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
