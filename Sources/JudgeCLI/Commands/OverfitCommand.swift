import ArgumentParser
import Foundation
import Rank

/// `judge overfit`: does the development ranking hold on the held-out tasks?
///
/// Rates the development tasks and the held-out tasks separately and applies `Rank.OverfitCheck`
/// (its doc comment states the rule). Exit status 0 when the ranking generalizes, 3 when
/// overfitting is suspected, 5 when the answer is inconclusive, so a nightly job can alert on it.
struct OverfitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overfit",
        abstract: "Compare the ranking on development tasks with the ranking on held-out tasks (exit 3: overfit suspected, 5: inconclusive).",
        discussion: """
        Three answers, each with its exit status (--no-overfit-status keeps 0):
          0 generalizes — only on positive evidence: at least 3 models rated on both sides, the lower end of \
        Kendall's tau's 95% interval above 0, and the development leader clearly ahead of some held-out model \
        and clearly behind none.
          3 overfit suspected — the development leader's 95% interval on a held-out task (or on all held-out \
        tasks pooled) lies entirely below that task's leader's, or tau's interval lies entirely below --min-tau.
          5 inconclusive — the judge is unreliable (read from a store, its reliability is measured), fewer than \
        3 models are rated on both sides, too few comparisons, or intervals too wide; the answer says why and \
        about how many more comparisons would likely decide it.
        Held-out tasks come from the suite (held_out: true) or from --held-out.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Argument(help: "The suite file (its held_out tasks are the held-out set).")
    var suite: String?
    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "A battles file (Chatbot Arena JSONL with \"task\") instead of the store.")
    var battles: String?
    @Option(name: .long, help: "A held-out task (repeatable); adds to the suite's held_out tasks.")
    var heldOut: [String] = []
    @Option(name: .long, help: "Suspect overfitting when tau's 95% interval lies below this.")
    var minTau: Double = 0
    @OptionGroup var rating: RatingArguments
    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: Format = .text
    @Flag(name: .customLong("no-overfit-status"), help: "Exit 0 whatever the answer (default: 3 overfit suspected, 5 inconclusive).")
    var noOverfitStatus = false
    @OptionGroup var judgeChoice: JudgeChoiceOptions

    func validate() throws {
        if battles != nil, store.db != nil { throw ValidationError("pass either --db or --battles, not both") }
        if suite == nil, battles != nil, heldOut.isEmpty {
            throw ValidationError("name the held-out tasks of the battles file: pass SUITE.yaml (tasks with held_out: true) or --held-out TASK")
        }
        if let suite, !FileManager.default.fileExists(atPath: suite) { throw ValidationError("no suite file at \(suite)") }
        if !(-1...1).contains(minTau) { throw ValidationError("--min-tau must lie in [-1, 1]") }
        if battles != nil, judgeChoice.judge != nil {
            throw ValidationError("--judge reads the store; a battles file has no judge configurations")
        }
        try judgeChoice.check()
        try rating.check(minimumBootstrap: 1)
    }

    func run() async throws {
        let loaded = try ComparisonSource(battles: battles, store: store, suite: suite, judge: judgeChoice.selection,
                                          needsLengths: rating.control == .length,
                                          reliability: (rating.options.bootstrapRounds, rating.options.seed)).load()
        if let judge = loaded.judge { Diagnostics.note("judge overfit: rating \(judge.description)") }
        let all = loaded.comparisons
        let heldOutTasks = Set(heldOut).union(loaded.heldOutTasks)
        guard !heldOutTasks.isEmpty else {
            throw RankError.invalidOption("no held-out task: mark one `held_out: true` in the suite, or pass --held-out TASK")
        }
        let known = Set(all.compactMap(\.task))
        if let unknown = heldOutTasks.subtracting(known).sorted().first {
            throw RankError.invalidOption("held-out task '\(unknown)' has no comparisons; tasks with comparisons: \(known.sorted().joined(separator: ", "))")
        }
        let untasked = all.filter { $0.task == nil }.count
        if untasked > 0 {
            FileHandle.standardError.write(Data("judge overfit: \(untasked) comparisons without a task count as development\n".utf8))
        }
        let development = all.filter { !heldOutTasks.contains($0.task ?? "") || $0.task == nil }
        let held = all.filter { $0.task.map(heldOutTasks.contains) ?? false }
        let reliability = loaded.reliability
        if let warning = reliability?.warning { Diagnostics.note("warning: judge overfit: \(warning)") }
        let report = try OverfitCheck(options: rating.options, minimumTau: minTau).run(development: development, heldOut: held, judge: reliability)
        FileHandle.standardOutput.write(Data(try render(report, reliability: reliability).utf8))
        if report.verdict.exitStatus != 0, !noOverfitStatus { throw ExitCode(report.verdict.exitStatus) }
    }

    // MARK: - Output

    /// JSON carries the judge's reliability in `judge_reliability`, as `ratings.json` does.
    func render(_ r: OverfitReport, reliability: JudgeReliability?) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            // A judge with no decisive verdicts has NaN shares: written as ratings.json writes them.
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            return String(decoding: try encoder.encode(r), as: UTF8.self) + "\n"
        case .text, .markdown:
            let md = format == .markdown
            func f(_ x: Double, _ d: Int) -> String { String(format: "%.\(d)f", x) }
            func signed(_ x: Int) -> String { x > 0 ? "+\(x)" : "\(x)" }
            var out = md ? "## Held-out check\n\n" : ""
            out += "development: \(r.developmentTasks.joined(separator: ", ")) (\(r.development.comparisons) comparisons)"
                + (md ? "  \n" : "\n")
            out += "held out: \(r.heldOutTasks.joined(separator: ", ")) (\(r.heldOut.comparisons) comparisons)" + (md ? "  \n" : "\n")
            if let tau = r.kendallTau, let rho = r.spearmanRho {
                out += "Kendall's tau \(f(tau.value, 3)) [\(f(tau.ciLow, 3)), \(f(tau.ciHigh, 3))] · "
                    + "Spearman's rho \(f(rho.value, 3)) [\(f(rho.ciLow, 3)), \(f(rho.ciHigh, 3))]\n\n"
            } else {
                out += "no rank correlation: fewer than two models are rated on both sides\n\n"
            }
            let header = ["model", "dev #", "held-out #", "shift", "dev rating", "held-out rating", "change"]
            let rows = r.shifts.map { s in
                [s.model, "\(s.developmentRank)", "\(s.heldOutRank)", signed(s.shift), f(s.developmentRating, 1),
                 f(s.heldOutRating, 1), (s.ratingChange >= 0 ? "+" : "") + f(s.ratingChange, 1)]
            }
            if md {
                out += "| " + header.joined(separator: " | ") + " |\n|:--|--:|--:|--:|--:|--:|--:|\n"
                for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
                out += "\n"
            } else {
                out += TextTable(header: header, leftAligned: [0]).render(rows) + "\n"
            }
            if let reliability { out += (md ? "**judge reliability:** " : "judge reliability: ") + reliability.summary + "\n" }
            out += (md ? "**verdict:** " : "verdict: ") + r.verdict.message + "\n"
            for extra in r.verdict.findings.dropFirst() { out += (md ? "- also: " : "  also: ") + extra.message + "\n" }
            return out
        }
    }
}
