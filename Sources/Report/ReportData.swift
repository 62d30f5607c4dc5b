import Comparisons
import Rank
import Store

// MARK: - ReportData: everything a report shows, independent of where it came from

/// The input of every renderer: a leaderboard, per-task tables, the win-rate matrix, the held-out
/// check, judge health, sample comparisons and the rating history.
///
/// Renderers read only this type, so the HTML, Markdown, JSON and CSV outputs can be tested (and the
/// sample report produced) without a store; ``ReportBuilder`` fills it from the store and Rank.
/// All text fields that came from a model or a judge (outputs, reasoning, prompts, and even model and
/// task names, which come from user files) are untrusted: renderers escape every one of them.
///
/// ```swift
/// let data = ReportData(title: "demo", asOf: "2026-11-25", leaderboard: rows)
/// let html = HTMLRenderer().render(data)
/// ```
public struct ReportData: Codable, Equatable, Sendable {
    /// The suite's name (or "leaderboard" for the nightly job).
    public var title: String
    /// The date of the newest judgment (YYYY-MM-DD); never the clock, so output is reproducible.
    public var asOf: String
    /// The judge configuration rated (every comparison comes from it); `nil` for data not from a store.
    public var judge: JudgeConfiguration?
    /// The judge configuration in words, for the header ("gpt-4, template pairwise v2 (text verdicts), …").
    public var judgeDescription: String?
    /// The model whose win rate the others are measured against, if any.
    public var anchor: String?
    /// Best first.
    public var leaderboard: [LeaderboardRow]
    public var tasks: [TaskTable]
    public var winRates: WinRateMatrix?
    public var overfit: HeldOutSummary?
    public var health: JudgeHealth?
    public var samples: [SampleComparison]
    /// Earlier snapshots plus the current one, oldest first (empty for a one-off report).
    public var history: [RatingSnapshot]
    /// Things the reader must know (a disconnected comparison graph, models without comparisons).
    public var notes: [String]
    /// How far the rated judge configuration's verdicts can be trusted; an unreliable judge is said
    /// first, in the report's first line and its header. nil for data not from a store.
    public var judgeReliability: JudgeReliability? = nil
    /// The judge's agreement with the suite's human labels (`human_labels:`), when it names them.
    public var agreement: HumanAgreement? = nil
    /// The build of judge that wrote the report ("judge <commit>"), so a report says what produced it.
    public var judgeBuild: String? = nil

    public init(
        title: String, asOf: String, judge: JudgeConfiguration? = nil, judgeDescription: String? = nil, anchor: String? = nil,
        leaderboard: [LeaderboardRow], tasks: [TaskTable] = [], winRates: WinRateMatrix? = nil,
        overfit: HeldOutSummary? = nil, health: JudgeHealth? = nil, samples: [SampleComparison] = [],
        history: [RatingSnapshot] = [], notes: [String] = []
    ) {
        self.title = title
        self.asOf = asOf
        self.judge = judge
        self.judgeDescription = judgeDescription
        self.anchor = anchor
        self.leaderboard = leaderboard
        self.tasks = tasks
        self.winRates = winRates
        self.overfit = overfit
        self.health = health
        self.samples = samples
        self.history = history
        self.notes = notes
    }
}

// MARK: - Leaderboard

/// One model's line on a leaderboard: Rank's ``RatingRow`` as the fit gave it, with the report's two
/// additions — its place and its change since the previous snapshot. The row's fields read through
/// (`row.model`, `row.rating`, …); nothing of Rank's is copied into fields of its own.
@dynamicMemberLookup
public struct LeaderboardRow: Codable, Equatable, Sendable {
    /// 1-based place, best first.
    public var rank: Int
    /// The model's rating, interval, win rate against the anchor and counts, from Rank.
    public var entry: RatingRow
    /// Rating change since the previous snapshot; nil when the model is new or there is none.
    public var change: Double?

    public init(rank: Int, entry: RatingRow, change: Double? = nil) {
        self.rank = rank
        self.entry = entry
        self.change = change
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<RatingRow, T>) -> T {
        get { entry[keyPath: field] }
        set { entry[keyPath: field] = newValue }
    }

    enum CodingKeys: String, CodingKey { case rank, change }

    /// Flat, as in ratings.json: Rank's row fields beside `rank` and `change`.
    public init(from decoder: any Decoder) throws {
        entry = try RatingRow(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rank = try c.decode(Int.self, forKey: .rank)
        change = try c.decodeIfPresent(Double.self, forKey: .change)
    }

    public func encode(to encoder: any Encoder) throws {
        try entry.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rank, forKey: .rank)
        try c.encode(change, forKey: .change)   // null for a new model, as before
    }
}

/// Ratings on one task.
public struct TaskTable: Codable, Equatable, Sendable {
    public var task: String
    /// A held-out task (not tuned on): shown apart, it is what the overfit check compares against.
    public var heldOut: Bool
    public var rows: [LeaderboardRow]

    public init(task: String, heldOut: Bool, rows: [LeaderboardRow]) {
        self.task = task
        self.heldOut = heldOut
        self.rows = rows
    }
}

// MARK: - Held-out check

/// The held-out check's verdict with the figures behind it.
public struct HeldOutSummary: Codable, Equatable, Sendable {
    /// True for "generalizes", false for "overfit suspected" and "inconclusive".
    public var generalizes: Bool
    /// `generalizes`, `overfit_suspected` or `inconclusive` (Rank's `OverfitVerdict.Status`); nil in older reports.
    public var status: String?
    /// 0 generalizes, 3 overfit suspected, 5 inconclusive.
    public var exitStatus: Int32 { status == "inconclusive" ? 5 : generalizes ? 0 : 3 }
    /// The plain sentence (e.g. "overfit suspected: m drops from #1 to #4 on held-out task x …").
    public var verdict: String
    public var heldOutTasks: [String]
    /// nil when fewer than two models are rated on both sides (the verdict is then inconclusive).
    public var kendallTau: Double?
    public var kendallTauCI: ReportInterval?
    public var spearmanRho: Double?
    public var spearmanRhoCI: ReportInterval?
    public var shifts: [HeldOutShift]
    /// Every reason for suspicion (the verdict quotes the first).
    public var findings: [String]

    public init(
        generalizes: Bool, verdict: String, heldOutTasks: [String], kendallTau: Double?,
        kendallTauCI: ReportInterval? = nil, spearmanRho: Double?, spearmanRhoCI: ReportInterval? = nil,
        shifts: [HeldOutShift], findings: [String] = [], status: String? = nil
    ) {
        self.generalizes = generalizes
        self.status = status
        self.verdict = verdict
        self.heldOutTasks = heldOutTasks
        self.kendallTau = kendallTau
        self.kendallTauCI = kendallTauCI
        self.spearmanRho = spearmanRho
        self.spearmanRhoCI = spearmanRhoCI
        self.shifts = shifts
        self.findings = findings
    }
}

/// A lower and upper bound (a 95% interval).
public struct ReportInterval: Codable, Equatable, Sendable {
    public var low: Double
    public var high: Double
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// One model's place on the development tasks and on the held-out task(s).
public struct HeldOutShift: Codable, Equatable, Sendable {
    public var model: String
    public var developmentRank: Int
    public var heldOutRank: Int
    public var developmentRating: Double
    public var heldOutRating: Double
    /// True when the held-out check names this model in a finding (it fell outside its 95% interval).
    public var outsideInterval: Bool

    public init(
        model: String, developmentRank: Int, heldOutRank: Int, developmentRating: Double,
        heldOutRating: Double, outsideInterval: Bool
    ) {
        self.model = model
        self.developmentRank = developmentRank
        self.heldOutRank = heldOutRank
        self.developmentRating = developmentRating
        self.heldOutRating = heldOutRating
        self.outsideInterval = outsideInterval
    }
}

// MARK: - Samples

/// One judged comparison shown in full: the prompt, both outputs and the judge's raw reply.
public struct SampleComparison: Codable, Equatable, Sendable {
    public var task: String
    public var itemID: String
    public var prompt: String
    /// The model shown to the judge as A, and its output.
    public var modelA: String
    public var outputA: String
    public var modelB: String
    public var outputB: String
    /// The parsed verdict as shown to a reader ("A", "B", "tie", "A>>B", "unparsed", …).
    public var verdict: String
    /// The judge's raw reply, reasoning included.
    public var reasoning: String

    public init(
        task: String, itemID: String, prompt: String, modelA: String, outputA: String,
        modelB: String, outputB: String, verdict: String, reasoning: String
    ) {
        self.task = task
        self.itemID = itemID
        self.prompt = prompt
        self.modelA = modelA
        self.outputA = outputA
        self.modelB = modelB
        self.outputB = outputB
        self.verdict = verdict
        self.reasoning = reasoning
    }
}

// MARK: - History

/// The ratings of one leaderboard run, kept as `history/YYYY-MM-DD.json`.
public struct RatingSnapshot: Codable, Equatable, Sendable {
    /// YYYY-MM-DD.
    public var date: String
    public var ratings: [SnapshotRating]

    public init(date: String, ratings: [SnapshotRating]) {
        self.date = date
        self.ratings = ratings
    }
}

public struct SnapshotRating: Codable, Equatable, Sendable {
    public var model: String
    public var rating: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var comparisons: Int

    public init(model: String, rating: Double, ciLow: Double, ciHigh: Double, comparisons: Int) {
        self.model = model
        self.rating = rating
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.comparisons = comparisons
    }

    enum CodingKeys: String, CodingKey {
        case model, rating, comparisons
        case ciLow = "ci_low", ciHigh = "ci_high"
    }
}

// MARK: - Agreement with human labels

/// The rated judge configuration against the suite's human labels, measured as MT-Bench does.
public struct HumanAgreement: Codable, Equatable, Sendable {
    /// The human-labels file, as the suite names it.
    public var labelsFile: String
    /// Human votes read (each counts against the judge's verdict on its item and pair).
    public var votes: Int
    public var agreement: Agreement

    public init(labelsFile: String, votes: Int, agreement: Agreement) {
        self.labelsFile = labelsFile
        self.votes = votes
        self.agreement = agreement
    }
}
