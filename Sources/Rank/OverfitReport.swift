// MARK: - OverfitReport: did the winner just overfit the tasks we tuned on?

/// A statistic with its bootstrap percentile interval.
public struct IntervalEstimate: Codable, Equatable, Sendable {
    public var value: Double
    public var ciLow: Double
    public var ciHigh: Double
    public init(value: Double, ciLow: Double, ciHigh: Double) { self.value = value; self.ciLow = ciLow; self.ciHigh = ciHigh }
    enum CodingKeys: String, CodingKey { case value, ciLow = "ci_low", ciHigh = "ci_high" }
}

/// One model's move between the development and the held-out ranking (among the models rated on both).
public struct RankShift: Codable, Equatable, Sendable {
    public var model: String
    public var developmentRank: Int
    public var heldOutRank: Int
    /// heldOutRank − developmentRank: positive means the model dropped.
    public var shift: Int
    public var developmentRating: Double
    public var heldOutRating: Double
    /// heldOutRating − developmentRating (both on their own Elo scale, mean 1000 or anchored).
    public var ratingChange: Double

    public init(model: String, developmentRank: Int, heldOutRank: Int, developmentRating: Double, heldOutRating: Double) {
        self.model = model; self.developmentRank = developmentRank; self.heldOutRank = heldOutRank
        self.shift = heldOutRank - developmentRank
        self.developmentRating = developmentRating; self.heldOutRating = heldOutRating
        self.ratingChange = heldOutRating - developmentRating
    }

    enum CodingKeys: String, CodingKey {
        case model, developmentRank = "development_rank", heldOutRank = "held_out_rank", shift
        case developmentRating = "development_rating", heldOutRating = "held_out_rating", ratingChange = "rating_change"
    }
}

/// The plain answer — generalizes, overfit suspected or inconclusive — and the evidence behind it.
public struct OverfitVerdict: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case generalizes, overfitSuspected = "overfit_suspected", inconclusive
    }

    /// One reason for suspicion.
    public struct Finding: Codable, Equatable, Sendable {
        /// The held-out task (nil: all held-out tasks pooled; also nil for a ranking-wide finding).
        public var task: String?
        public var model: String?
        public var message: String
        public init(task: String?, model: String?, message: String) { self.task = task; self.model = model; self.message = message }
    }

    public var status: Status
    /// "generalizes: …", "overfit suspected: …" (the first finding) or "inconclusive: …" (the reason).
    public var message: String
    public var findings: [Finding]
    /// When inconclusive: roughly how many more comparisons would likely decide it, if the current
    /// estimates hold and intervals shrink as 1/√n; nil when more of the same would not (an unreliable
    /// judge, too few models, or estimates too close to tell).
    public var moreComparisons: Int?

    public var generalizes: Bool { status == .generalizes }
    /// 0 generalizes, 3 overfit suspected, 5 inconclusive (for nightly alerts).
    public var exitStatus: Int32 {
        switch status {
        case .generalizes: return 0
        case .overfitSuspected: return 3
        case .inconclusive: return 5
        }
    }

    public init(status: Status, message: String, findings: [Finding], moreComparisons: Int? = nil) {
        self.status = status; self.message = message; self.findings = findings; self.moreComparisons = moreComparisons
    }

    enum CodingKeys: String, CodingKey { case status, message, findings, moreComparisons = "more_comparisons" }
}

/// Development ranking against held-out ranking.
public struct OverfitReport: Codable, Equatable, Sendable {
    public var developmentTasks: [String]
    public var heldOutTasks: [String]
    public var development: Leaderboard
    /// All held-out tasks pooled.
    public var heldOut: Leaderboard
    /// One leaderboard per held-out task (the same as `heldOut` when there is one task).
    public var heldOutPerTask: [Leaderboard]
    /// Rank agreement of development and pooled held-out ratings, over the models rated on both;
    /// nil when fewer than two models are rated on both sides (no order to compare).
    public var kendallTau: IntervalEstimate?
    public var spearmanRho: IntervalEstimate?
    /// Best development rank first.
    public var shifts: [RankShift]
    public var verdict: OverfitVerdict
    /// The reliability of the judge configuration behind both rankings, as the verdict weighed it
    /// (nil when it was not measured, e.g. for a battles file).
    public var judgeReliability: JudgeReliability?

    public init(developmentTasks: [String], heldOutTasks: [String], development: Leaderboard, heldOut: Leaderboard,
                heldOutPerTask: [Leaderboard], kendallTau: IntervalEstimate?, spearmanRho: IntervalEstimate?,
                shifts: [RankShift], verdict: OverfitVerdict, judgeReliability: JudgeReliability? = nil) {
        self.developmentTasks = developmentTasks; self.heldOutTasks = heldOutTasks
        self.development = development; self.heldOut = heldOut; self.heldOutPerTask = heldOutPerTask
        self.kendallTau = kendallTau; self.spearmanRho = spearmanRho; self.shifts = shifts; self.verdict = verdict
        self.judgeReliability = judgeReliability
    }

    enum CodingKeys: String, CodingKey {
        case developmentTasks = "development_tasks", heldOutTasks = "held_out_tasks", development
        case heldOut = "held_out", heldOutPerTask = "held_out_per_task", kendallTau = "kendall_tau"
        case spearmanRho = "spearman_rho", shifts, verdict, judgeReliability = "judge_reliability"
    }
}
