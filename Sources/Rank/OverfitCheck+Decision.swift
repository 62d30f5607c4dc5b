import Foundation

// MARK: - The three answers

extension OverfitCheck {
    /// Fewer held-out (or development) comparisons than this per model rated on both sides is
    /// "too few comparisons" when nothing else decides.
    public static let minimumComparisonsPerModel = 10
    /// Beyond this many times the current comparisons, an estimate is no estimate: "more judgments
    /// are unlikely to decide it".
    static let largestUsefulFactor = 100.0

    /// What the verdict is decided from.
    struct Evidence {
        var winner: String
        /// Models rated on both sides, in development order.
        var common: [String]
        var perTask: [Leaderboard]
        /// All held-out tasks pooled (the one task's board when there is one).
        var pooled: Leaderboard
        var severalTasks: Bool
        var tau: IntervalEstimate
        var development: Leaderboard
        var developmentComparisons: Int
        var heldOutComparisons: Int
        var judge: JudgeReliability?
    }

    /// The rule (see ``OverfitCheck``).
    ///
    /// **Why "generalizes" needs positive evidence.** The old rule said "generalizes" whenever it could
    /// not prove overfitting, so noise — a judge that reads only position, three comparisons a pair —
    /// came out as a finding: the demo printed "generalizes" with tau = 0.000 (95 %: −0.667 to 1.000).
    /// Absence of evidence is not evidence: the ranking generalizes when the held-out order is shown
    /// to follow the development order (tau's lower end above 0) *and* the development leader is shown
    /// to keep its place (clearly ahead of some model on held-out, clearly behind none). The leader
    /// condition is the one the user acts on ("ship W"); tau alone could be carried by the other
    /// models while W's held-out interval spans the whole board.
    func decide(_ e: Evidence) -> OverfitVerdict {
        let percent = "\(Int((options.confidence * 100).rounded()))%"
        if let unreliable = unreliableJudgeVerdict(e.judge) { return unreliable }
        let findings = findings(winner: e.winner, perTask: e.perTask, pooled: e.severalTasks ? e.pooled : nil,
                                tau: (e.tau.ciLow, e.tau.ciHigh))
        if let first = findings.first {
            return OverfitVerdict(status: .overfitSuspected, message: "overfit suspected: " + first.message, findings: findings)
        }
        let tauText = "Kendall's tau \(Leaderboard.format(e.tau.value, 2)) (\(percent): \(Leaderboard.format(e.tau.ciLow, 2)) to \(Leaderboard.format(e.tau.ciHigh, 2)))"
        let behind = clearlyBehind(e.winner, on: e.pooled)
        if e.common.count >= 3, e.tau.ciLow > 0, let beaten = behind.first {
            return OverfitVerdict(status: .generalizes, message: "generalizes: \(e.winner) leads the development tasks and stays in the held-out "
                + "top group (clearly ahead of \(beaten), clearly behind no model), and \(tauText) lies above 0", findings: [])
        }

        // Inconclusive: why, and how much more would likely decide it.
        var reason: String
        let thin = e.common.compactMap { model -> (String, Int)? in
            let n = min(e.pooled.row(model)?.comparisons ?? 0, e.development.row(model)?.comparisons ?? 0)
            return n < Self.minimumComparisonsPerModel ? (model, n) : nil
        }
        if e.common.count < 3 {
            reason = "only \(e.common.count) models are rated on both the development and the held-out tasks; "
                + "the check needs at least 3 to compare orders"
        } else if let (model, n) = thin.first {
            reason = "too few comparisons: \(model) has only \(n) on one side (at least \(Self.minimumComparisonsPerModel) a model are needed)"
        } else {
            var wide: [String] = []
            if e.tau.ciLow <= 0 { wide.append("\(tauText) reaches down to 0 or below") }
            if behind.isEmpty, let w = e.pooled.row(e.winner) {
                wide.append("\(e.winner)'s held-out interval (\(Leaderboard.format(w.ciLow, 0)) to \(Leaderboard.format(w.ciHigh, 0))) "
                    + "overlaps every other model's")
            }
            reason = "the intervals are too wide to tell: " + wide.joined(separator: ", and ")
        }
        let more = moreComparisons(e)
        let estimate = more.map { "; about \($0) more comparisons would likely decide it" }
            ?? (e.common.count < 3 ? "; rate more models on both sides"
                : "; at the current estimates more comparisons are unlikely to decide it")
        return OverfitVerdict(status: .inconclusive, message: "inconclusive: " + reason + estimate, findings: [], moreComparisons: more)
    }

    /// Inconclusive whatever the ratings say, when the judge's verdicts are explained by position alone.
    func unreliableJudgeVerdict(_ judge: JudgeReliability?) -> OverfitVerdict? {
        guard let judge, judge.status == .unreliable else { return nil }
        return OverfitVerdict(status: .inconclusive, message: "inconclusive: the judge is unreliable, so neither ranking is evidence "
            + "(\(judge.reasons.first ?? "its verdicts are explained by position alone")); more judgments from this judge will not decide it: use a stronger judge",
            findings: [])
    }

    /// Fewer than two models on both sides: there is no order to compare at all.
    func tooFewModelsVerdict(_ common: [String]) -> OverfitVerdict {
        let which = common.isEmpty ? "no model is" : "only \(common[0]) is"
        return OverfitVerdict(status: .inconclusive, message: "inconclusive: \(which) rated on both the development and the held-out tasks; "
            + "the check needs at least 3 to compare orders; rate more models on both sides", findings: [])
    }

    /// The models `winner` is clearly ahead of on `board` (its interval above theirs), best first.
    func clearlyBehind(_ winner: String, on board: Leaderboard) -> [String] {
        guard let w = board.row(winner) else { return [] }
        return board.rows.filter { $0.model != winner && w.ciLow > $0.ciHigh }.map(\.model)
    }

    // MARK: - How much more would decide it

    /// A rough guide: intervals shrink as 1/√n, so an interval of half-width h around an estimate at
    /// distance g from its threshold stops straddling it after (h/g)² times the comparisons it rests
    /// on, if the estimate holds. "Generalizes" needs both its conditions (the larger need), an
    /// overfitting finding any one (the smaller); the estimate is the nearer of the two answers.
    /// Tau rests on both sides' comparisons, the leader's held-out place on the held-out ones.
    /// nil when neither answer is within `largestUsefulFactor` times the current comparisons.
    func moreComparisons(_ e: Evidence) -> Int? {
        let both = Double(e.developmentComparisons + e.heldOutComparisons), held = Double(e.heldOutComparisons)
        func extra(_ halfWidth: Double, _ gap: Double, _ base: Double) -> Double {
            guard gap > 0, halfWidth.isFinite else { return .infinity }
            let factor = (halfWidth / gap) * (halfWidth / gap)
            return factor > Self.largestUsefulFactor ? .infinity : max(0, factor - 1) * base
        }
        var generalizes = Double.infinity
        if e.common.count >= 3, let w = e.pooled.row(e.winner) {
            let tauNeed = extra(e.tau.value - e.tau.ciLow, e.tau.value, both)
            let leadNeed = e.pooled.rows.filter { $0.model != e.winner }.map { o in
                extra((w.rating - w.ciLow) + (o.ciHigh - o.rating), w.rating - o.rating, held)
            }.min() ?? .infinity
            generalizes = max(tauNeed, leadNeed)
        }
        var overfit = extra(e.tau.ciHigh - e.tau.value, minimumTau - e.tau.value, both)
        if let w = e.pooled.row(e.winner), let leader = e.pooled.rows.first, leader.model != e.winner {
            overfit = min(overfit, extra((w.ciHigh - w.rating) + (leader.rating - leader.ciLow), leader.rating - w.rating, held))
        }
        let need = min(generalizes, overfit)
        return need.isFinite ? max(1, Int(need.rounded(.up))) : nil
    }
}
