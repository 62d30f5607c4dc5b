import Foundation

// MARK: - OverfitCheck: development ranking against held-out ranking

/// Compares the ranking on the development tasks (those the models were tuned or selected on)
/// with the ranking on held-out tasks, and gives a verdict.
///
/// **The rule** answers one of three (details, and why, in `OverfitCheck+Decision.swift`). Let W be
/// the development leader (rated #1 on the development tasks among the models also rated on held-out data).
/// - **inconclusive** when the judge is unreliable: its verdicts are explained by position alone, so
///   neither ranking is evidence of anything;
/// - **overfit suspected** when either
///   1. on some held-out set X — each held-out task alone, and all held-out tasks pooled when there
///      are several — W is not X's leader L and W's 95 % interval on X lies entirely below L's:
///      `ciHigh_X(W) < ciLow_X(L)` (W is clearly worse than the best model there, not just noisily
///      lower); or
///   2. the upper end of the 95 % bootstrap interval of Kendall's tau between development and pooled
///      held-out ratings lies below `minimumTau` (default 0: with 95 % confidence the held-out order
///      is unrelated to, or the reverse of, the development order);
/// - **generalizes** only on positive evidence: at least 3 models rated on both sides, the lower end
///   of tau's interval above 0 (the held-out order follows the development order), and W clearly
///   ahead of some model on the pooled held-out tasks (`ciLow(W) > ciHigh(M)`) while no model there
///   is clearly ahead of it (rule 1) — W stays in the held-out top group, and is shown to;
/// - **inconclusive** otherwise, with the reason (fewer than 3 models, too few comparisons, intervals
///   too wide) and an estimate of how many more comparisons would likely decide it.
/// Tasks where W has no comparisons are skipped for rule 1.
///
/// Intervals come from independent bootstraps of the development and held-out comparisons
/// (held-out streams seeded apart from development ones); round r of each pairs up for tau and rho.
///
/// ```swift
/// let report = try OverfitCheck(options: options).run(development: dev, heldOut: held, judge: reliability)
/// print(report.verdict.message)   // "generalizes: …", "overfit suspected: …" or "inconclusive: …"
/// exit(report.verdict.exitStatus) // 0, 3 or 5
/// ```
public struct OverfitCheck: Sendable {
    public var options: RatingOptions
    /// Rule 2's threshold on the upper end of tau's interval.
    public var minimumTau: Double = 0

    public init(options: RatingOptions = RatingOptions(), minimumTau: Double = 0) {
        self.options = options
        self.minimumTau = minimumTau
    }

    /// - Parameters:
    ///   - development: comparisons on the development tasks.
    ///   - heldOut: comparisons on the held-out tasks (their `task` names the held-out task).
    ///   - judge: the reliability of the judge configuration behind both; an unreliable judge makes
    ///     the answer inconclusive whatever the ratings say.
    public func run(development: [Comparison], heldOut: [Comparison], judge: JudgeReliability? = nil) throws -> OverfitReport {
        guard !development.isEmpty else {
            throw RankError.invalidOption("no comparisons on the development tasks: the held-out check needs both sides")
        }
        guard !heldOut.isEmpty else {
            throw RankError.invalidOption("no comparisons on the held-out tasks: judge them first, or mark a task held_out in the suite")
        }
        var heldOutOptions = options
        heldOutOptions.seed = SplitMix64.mix(options.seed ^ 0x4845_4C44_4F55_54)   // "HELDOUT"
        let dev = try Ranker(options: options).rate(development)
        let held = try Ranker(options: heldOutOptions).rate(heldOut)
        let heldOutTasks = Set(heldOut.compactMap(\.task)).sorted()
        let perTask: [Leaderboard] = heldOutTasks.count <= 1
            ? [withTask(held.leaderboard, heldOutTasks.first)]
            : try heldOutTasks.map { t in try Ranker(options: heldOutOptions).leaderboard(heldOut.filter { $0.task == t }, task: t) }

        // Models rated on both sides, in development order.
        let common = dev.leaderboard.rows.map(\.model).filter { held.leaderboard.row($0) != nil }
        guard common.count >= 2 else {
            // No order to compare: inconclusive (exit 5), not an error — a nightly job learns what to add.
            let shifts = common.map { m in
                RankShift(model: m, developmentRank: 1, heldOutRank: 1,
                          developmentRating: dev.leaderboard.row(m)!.rating, heldOutRating: held.leaderboard.row(m)!.rating)
            }
            return OverfitReport(
                developmentTasks: Set(development.compactMap(\.task)).sorted(), heldOutTasks: heldOutTasks,
                development: dev.leaderboard, heldOut: held.leaderboard, heldOutPerTask: perTask,
                kendallTau: nil, spearmanRho: nil, shifts: shifts,
                verdict: unreliableJudgeVerdict(judge) ?? tooFewModelsVerdict(common), judgeReliability: judge)
        }
        let devRatings = common.map { dev.leaderboard.row($0)!.rating }
        let heldRatings = common.map { held.leaderboard.row($0)!.rating }

        // Tau and rho with paired-round bootstrap intervals.
        let tau = RankCorrelation.kendallTau(devRatings, heldRatings)
        let rho = RankCorrelation.spearmanRho(devRatings, heldRatings)
        var tauInterval = (tau, tau), rhoInterval = (rho, rho)
        let rounds = options.bootstrapRounds
        if rounds > 0 {
            let devColumns = common.map { dev.models.firstIndex(of: $0)! }
            let heldColumns = common.map { held.models.firstIndex(of: $0)! }
            var taus: [Double] = [], rhos: [Double] = []
            for r in 0..<rounds {
                let x = devColumns.map { dev.roundRatings[r * dev.models.count + $0] }
                let y = heldColumns.map { held.roundRatings[r * held.models.count + $0] }
                let t = RankCorrelation.kendallTau(x, y), s = RankCorrelation.spearmanRho(x, y)
                if t.isFinite { taus.append(t) }
                if s.isFinite { rhos.append(s) }
            }
            tauInterval = Bootstrap.interval(taus, confidence: options.confidence)
            rhoInterval = Bootstrap.interval(rhos, confidence: options.confidence)
        }

        // Rank shifts among the common models.
        let heldOrder = common.indices.sorted { heldRatings[$0] != heldRatings[$1] ? heldRatings[$0] > heldRatings[$1] : common[$0] < common[$1] }
        var heldRank = [Int](repeating: 0, count: common.count)
        for (position, k) in heldOrder.enumerated() { heldRank[k] = position + 1 }
        let shifts = common.indices.map { k in
            RankShift(model: common[k], developmentRank: k + 1, heldOutRank: heldRank[k],
                      developmentRating: devRatings[k], heldOutRating: heldRatings[k])
        }

        let kendall = IntervalEstimate(value: tau, ciLow: tauInterval.0, ciHigh: tauInterval.1)
        let verdict = decide(Evidence(
            winner: common[0], common: common, perTask: perTask, pooled: held.leaderboard, severalTasks: heldOutTasks.count > 1,
            tau: kendall, development: dev.leaderboard, developmentComparisons: development.verdictCount,
            heldOutComparisons: heldOut.verdictCount, judge: judge))
        return OverfitReport(
            developmentTasks: Set(development.compactMap(\.task)).sorted(), heldOutTasks: heldOutTasks,
            development: dev.leaderboard, heldOut: held.leaderboard, heldOutPerTask: perTask,
            kendallTau: kendall,
            spearmanRho: IntervalEstimate(value: rho, ciLow: rhoInterval.0, ciHigh: rhoInterval.1),
            shifts: shifts, verdict: verdict, judgeReliability: judge)
    }

    // MARK: - Overfitting findings (rules 1 and 2)

    func findings(winner: String, perTask: [Leaderboard], pooled: Leaderboard?, tau: (Double, Double)) -> [OverfitVerdict.Finding] {
        var findings: [OverfitVerdict.Finding] = []
        let percent = "\(Int((options.confidence * 100).rounded()))%"
        let sets = perTask.map { ($0, false) } + (pooled.map { [($0, true)] } ?? [])
        for (board, isPooled) in sets {
            guard let w = board.row(winner), let rank = board.rank(of: winner), let leader = board.rows.first,
                  leader.model != winner, w.ciHigh < leader.ciLow else { continue }
            let place = isPooled ? "the held-out tasks (pooled)" : "held-out task \(board.task ?? "(untitled)")"
            let message = "\(winner) drops from #1 to #\(rank) on \(place), outside its \(percent) interval "
                + "(\(Leaderboard.format(w.rating, 0)) [\(Leaderboard.format(w.ciLow, 0)), \(Leaderboard.format(w.ciHigh, 0))] "
                + "vs leader \(leader.model) \(Leaderboard.format(leader.rating, 0)) "
                + "[\(Leaderboard.format(leader.ciLow, 0)), \(Leaderboard.format(leader.ciHigh, 0))])"
            findings.append(.init(task: isPooled ? nil : board.task, model: winner, message: message))
        }
        if tau.1 < minimumTau {
            findings.append(.init(task: nil, model: nil, message:
                "the held-out ranking does not follow the development ranking (Kendall's tau \(percent) interval "
                + "[\(Leaderboard.format(tau.0, 2)), \(Leaderboard.format(tau.1, 2))] lies below \(Leaderboard.format(minimumTau, 2)))"))
        }
        return findings
    }

    private func withTask(_ board: Leaderboard, _ task: String?) -> Leaderboard {
        var b = board
        b.task = task
        return b
    }
}
