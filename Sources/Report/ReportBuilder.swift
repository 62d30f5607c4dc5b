import BuildInfo
import Comparisons
import Foundation
import Rank
import Store

// MARK: - Filling ReportData from the store and Rank

/// Builds ``ReportData`` from one judge configuration's comparisons on one or more suites:
/// Bradley-Terry ratings (overall and per task) from `Rank`, judge health and sample comparisons from
/// `Comparisons`. Another configuration's judgments never enter.
///
/// ```swift
/// let store = try JudgeStore(readingAt: "judge.sqlite")
/// let data = try ReportBuilder(store: store).build(suites: ["demo"], judge: judge, title: "demo", asOf: "2025-11-25")
/// ```
/// Everything is deterministic for a given store: the bootstrap is seeded and every list is sorted.
public struct ReportBuilder {
    public var store: JudgeStore
    public var options: RatingOptions
    /// Sample comparisons per suite, a fair mix over tasks and kinds of verdict (the Markdown shows
    /// the first few, the HTML all of them).
    public var sampleLimit: Int
    /// Told each phase's name and duration in seconds (for `--verbose`; never part of the output).
    public var onPhase: ((String, Double) -> Void)?

    public init(store: JudgeStore, options: RatingOptions = RatingOptions(), sampleLimit: Int = 12) {
        self.store = store
        self.options = options
        self.sampleLimit = sampleLimit
    }

    /// Runs `body`, reporting its duration under `name`.
    private func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard let onPhase else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        onPhase(name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return result
    }

    /// - Throws: ``ReportError/noRatings(_:)`` when the suites hold no resolved comparison;
    ///   `RankError` when the overall comparison graph is disconnected (it names the groups).
    public func build(suites: [String], judge: JudgeConfiguration, title: String, asOf: String) throws -> ReportData {
        // One pass per suite: deduplicated comparisons, judge health and samples together.
        let summary = try phase("comparisons.summary(\(suites.joined(separator: ", ")))") {
            try ComparisonReader(store: store).summary(suites: suites, judge: judge, sampleLimit: sampleLimit)
        }
        let groups = summary.groups
        let health = summary.health
        let reliability = phase("reliability") { summary.reliability(bootstrapRounds: options.bootstrapRounds, seed: options.seed) }
        let samples = summary.samples.map(Self.sample)
        guard !groups.isEmpty else {
            throw ReportError.noRatings("no resolved comparisons by \(judge.description) in suite \(suites.joined(separator: ", ")); run `judge compare` first")
        }
        let comparisons = groups.map(Comparison.init)
        let ranker = Ranker(options: options)
        let overall = try phase("rank: overall") { try ranker.leaderboard(comparisons) }
        var notes: [String] = []

        // Per task, in task-name order; a task that cannot be rated on its own is noted, not fatal.
        var heldOut: [String: Bool] = [:]
        for g in groups { heldOut[g.task] = (heldOut[g.task] ?? false) || g.heldOut }
        let byTask = Dictionary(grouping: comparisons, by: { $0.task ?? "" })
        var tasks: [TaskTable] = []
        // Development tasks first, then held-out ones, each by name.
        for task in byTask.keys.sorted(by: { (heldOut[$0] ?? false ? 1 : 0, $0) < (heldOut[$1] ?? false ? 1 : 0, $1) }) {
            do {
                let board = try phase("rank: task \(task)") { try ranker.leaderboard(byTask[task]!, task: task) }
                tasks.append(TaskTable(task: task, heldOut: heldOut[task] ?? false, rows: Self.rows(board)))
            } catch {
                notes.append("Task \(task) has no ratings of its own: \(error)")
            }
        }
        let overfit = phase("rank: held-out check") { () -> HeldOutSummary? in
            let development = comparisons.filter { !(heldOut[$0.task ?? ""] ?? false) }
            let held = comparisons.filter { heldOut[$0.task ?? ""] ?? false }
            guard !held.isEmpty else { return nil }
            do {
                return Self.summary(try OverfitCheck(options: options).run(development: development, heldOut: held, judge: reliability))
            } catch {
                notes.append("The held-out check could not run: \(error)")
                return nil
            }
        }
        var data = ReportData(
            title: title, asOf: asOf, judge: judge, judgeDescription: judge.description,
            anchor: options.anchor?.model, leaderboard: Self.rows(overall), tasks: tasks,
            winRates: overall.observedWinRates,
            overfit: overfit, health: health, samples: samples, history: [], notes: notes)
        data.judgeReliability = reliability
        data.judgeBuild = BuildInfo.description
        return data
    }

    // MARK: - Mapping

    static func rows(_ board: Rank.Leaderboard) -> [LeaderboardRow] {
        board.rows.enumerated().map { i, r in LeaderboardRow(rank: i + 1, entry: r) }
    }

    static func summary(_ r: OverfitReport) -> HeldOutSummary {
        // Rank's rule: a model is flagged when a finding names it (it fell outside its interval).
        let flagged = Set(r.verdict.findings.compactMap(\.model))
        return HeldOutSummary(
            generalizes: r.verdict.generalizes, verdict: r.verdict.message, heldOutTasks: r.heldOutTasks,
            kendallTau: r.kendallTau?.value, kendallTauCI: r.kendallTau.map { ReportInterval(low: $0.ciLow, high: $0.ciHigh) },
            spearmanRho: r.spearmanRho?.value,
            spearmanRhoCI: r.spearmanRho.map { ReportInterval(low: $0.ciLow, high: $0.ciHigh) },
            shifts: r.shifts.map { s in
                HeldOutShift(model: s.model, developmentRank: s.developmentRank, heldOutRank: s.heldOutRank,
                             developmentRating: s.developmentRating, heldOutRating: s.heldOutRating,
                             outsideInterval: flagged.contains(s.model))
            },
            findings: r.verdict.findings.map(\.message), status: r.verdict.status.rawValue)
    }

    /// A stored comparison as a reader sees it: canonical A and B, and each order's raw reply.
    static func sample(_ s: ComparisonSample) -> SampleComparison {
        let c = s.comparison
        var reasoning: [String] = []
        for j in s.judgments {
            let first = j.position == .ab ? c.modelA : c.modelB
            let verdict = j.verdict?.rawValue ?? "no verdict"
            reasoning.append("— \(first) shown first (presented verdict \(verdict)):\n\(j.rawReply ?? "(no reply: the call failed)")")
        }
        if c.identicalOutputs { reasoning.append("Both outputs are identical: a tie without a judge call.") }
        return SampleComparison(task: c.task, itemID: c.itemID, prompt: s.prompt, modelA: c.modelA, outputA: s.outputA,
                                modelB: c.modelB, outputB: s.outputB, verdict: c.outcome.rawValue,
                                reasoning: reasoning.joined(separator: "\n\n"))
    }
}
