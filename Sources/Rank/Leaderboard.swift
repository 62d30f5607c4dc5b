// MARK: - Leaderboard: the ratings users act on (the result types reports render)

/// One model's line of a leaderboard; JSON keys are snake_case
/// (`model, rating, ci_low, ci_high, win_rate_vs_anchor, comparisons, wins, losses, ties`).
public struct RatingRow: Codable, Equatable, Sendable {
    public var model: String
    /// Elo-scale rating: 400·log10 odds, centered on the mean (1000) or anchored.
    public var rating: Double
    /// Bootstrap percentile interval (2.5 / 97.5 at 95 %); equal to `rating` without bootstrap.
    public var ciLow: Double
    public var ciHigh: Double
    /// Predicted score (win + ½ tie) against the anchor model — or, without an anchor, against a
    /// model at the center of the scale (an average model rated 1000).
    public var winRateVsAnchor: Double
    /// Raw counts (a decisive win counts as one win here; the weights apply only to the fit).
    public var comparisons: Int
    public var wins: Int
    public var losses: Int
    public var ties: Int

    public init(model: String, rating: Double, ciLow: Double, ciHigh: Double, winRateVsAnchor: Double,
                comparisons: Int, wins: Int, losses: Int, ties: Int) {
        self.model = model; self.rating = rating; self.ciLow = ciLow; self.ciHigh = ciHigh
        self.winRateVsAnchor = winRateVsAnchor
        self.comparisons = comparisons; self.wins = wins; self.losses = losses; self.ties = ties
    }

    enum CodingKeys: String, CodingKey {
        case model, rating, ciLow = "ci_low", ciHigh = "ci_high", winRateVsAnchor = "win_rate_vs_anchor"
        case comparisons, wins, losses, ties
    }
}

/// A square matrix of win rates: `rates[r][c]` is the score (win + ½ tie) of `models[r]`
/// against `models[c]`; nil on the diagonal and, for observed rates, where the pair never met.
public struct WinRateMatrix: Codable, Equatable, Sendable {
    public var models: [String]
    public var rates: [[Double?]]
    /// Comparisons behind each observed cell (all zero for predicted matrices).
    public var counts: [[Int]]

    public init(models: [String], rates: [[Double?]], counts: [[Int]]) {
        self.models = models; self.rates = rates; self.counts = counts
    }

    public func rate(_ row: String, against column: String) -> Double? {
        guard let r = models.firstIndex(of: row), let c = models.firstIndex(of: column) else { return nil }
        return rates[r][c]
    }
}

/// The fitted length effect under `--control length`.
public struct LengthEffect: Codable, Equatable, Sendable {
    /// β: log-odds of winning per RMS unit of the normalized length difference (|A|−|B|)/(|A|+|B|).
    public var coefficient: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// The same in Elo points (400/ln 10 · β).
    public var eloPerUnit: Double
    /// The RMS of the raw normalized length difference (one unit of the covariate).
    public var unit: Double

    public init(coefficient: Double, ciLow: Double, ciHigh: Double, eloPerUnit: Double, unit: Double) {
        self.coefficient = coefficient; self.ciLow = ciLow; self.ciHigh = ciHigh
        self.eloPerUnit = eloPerUnit; self.unit = unit
    }

    enum CodingKeys: String, CodingKey {
        case coefficient, ciLow = "ci_low", ciHigh = "ci_high", eloPerUnit = "elo_per_unit", unit
    }
}

/// The ratings of one set of comparisons (all of them, or one task's), best first.
public struct Leaderboard: Codable, Equatable, Sendable {
    /// nil for the overall leaderboard.
    public var task: String?
    public var rows: [RatingRow]
    /// The anchor (`model`, `rating`), or nil when ratings are centered on `center`.
    public var anchor: RatingOptions.Anchor?
    public var center: Double
    /// Observed and predicted win rates, rows/columns in leaderboard order.
    public var observedWinRates: WinRateMatrix
    public var predictedWinRates: WinRateMatrix
    public var tieModel: RatingOptions.TieModel
    /// Davidson's ν (nil with ties as half wins).
    public var tieParameter: Double?
    public var lengthEffect: LengthEffect?
    public var comparisons: Int
    public var bootstrapRounds: Int
    public var seed: UInt64
    public var confidence: Double

    public init(task: String?, rows: [RatingRow], anchor: RatingOptions.Anchor?, center: Double,
                observedWinRates: WinRateMatrix, predictedWinRates: WinRateMatrix,
                tieModel: RatingOptions.TieModel, tieParameter: Double?, lengthEffect: LengthEffect?,
                comparisons: Int, bootstrapRounds: Int, seed: UInt64, confidence: Double) {
        self.task = task; self.rows = rows; self.anchor = anchor; self.center = center
        self.observedWinRates = observedWinRates; self.predictedWinRates = predictedWinRates
        self.tieModel = tieModel; self.tieParameter = tieParameter; self.lengthEffect = lengthEffect
        self.comparisons = comparisons; self.bootstrapRounds = bootstrapRounds; self.seed = seed
        self.confidence = confidence
    }

    public func row(_ model: String) -> RatingRow? { rows.first { $0.model == model } }
    /// 1-based position of `model` (best = 1).
    public func rank(of model: String) -> Int? { rows.firstIndex { $0.model == model }.map { $0 + 1 } }

    enum CodingKeys: String, CodingKey {
        case task, rows, anchor, center, observedWinRates = "observed_win_rates"
        case predictedWinRates = "predicted_win_rates", tieModel = "tie_model", tieParameter = "tie_parameter"
        case lengthEffect = "length_effect", comparisons, bootstrapRounds = "bootstrap_rounds", seed, confidence
    }
}
