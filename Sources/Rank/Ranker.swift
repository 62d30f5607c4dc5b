import Foundation

// MARK: - Ranker: comparisons in, leaderboards out

/// Rates models from pairwise verdicts: a Bradley-Terry fit, the Elo scale, bootstrap intervals,
/// raw counts and win-rate matrices — overall or per task.
///
/// ```swift
/// var options = RatingOptions()
/// options.anchor = .init(model: "gpt-4", rating: 1000)
/// let board = try Ranker(options: options).leaderboard(comparisons)
/// print(board.rows[0].model, board.rows[0].rating, board.rows[0].ciLow, board.rows[0].ciHigh)
/// ```
public struct Ranker: Sendable {
    public var options: RatingOptions

    public init(options: RatingOptions = RatingOptions()) { self.options = options }

    /// The leaderboard of `comparisons` (all of them; filter by task first for a task's board).
    /// - Throws: `RankError` — no comparisons, a disconnected graph (naming the groups),
    ///   an unknown anchor, missing lengths under length control, invalid options.
    public func leaderboard(_ comparisons: [Comparison], task: String? = nil) throws -> Leaderboard {
        try rate(comparisons, task: task).leaderboard
    }

    /// A leaderboard together with every bootstrap round's ratings.
    struct Rated {
        let leaderboard: Leaderboard
        /// Models sorted by name (the columns of `roundRatings`).
        let models: [String]
        /// Elo ratings per bootstrap round: (rounds × models), row-major; empty without bootstrap.
        let roundRatings: [Double]
    }

    func rate(_ comparisons: [Comparison], task: String? = nil) throws -> Rated {
        try options.validate()
        guard !comparisons.isEmpty else { throw RankError.noComparisons(task: task) }
        try ComparisonGraph(comparisons).requireConnected()
        let design = try ComparisonDesign(comparisons, options: options)
        let scale = try EloScale(models: design.models, options: options)
        let totals = design.cellTotals(groupCounts: design.groupCount)
        let solved = try Likelihood(design: design, totals: totals, prior: options.prior).fit()
        let fit = BradleyTerryFit(design: design, parameters: solved.x, iterations: solved.iterations,
                                  logLikelihood: Likelihood(design: design, totals: totals, prior: 0).value(solved.x))
        let n = design.modelCount, p = design.parameterCount
        let ratings = scale.ratings(solved.x[0..<n])

        // Bootstrap: ratings (and β) per round → percentile intervals.
        let rounds = options.bootstrapRounds
        var low = ratings, high = ratings
        var betaInterval: (Double, Double)? = fit.lengthCoefficient.map { ($0, $0) }
        var roundRatings: [Double] = []   // (rounds × n)
        if rounds > 0 {
            roundRatings.reserveCapacity(rounds * n)
            let draws = try Bootstrap.parameters(design: design, prior: options.prior, rounds: rounds,
                                                 seed: options.seed, start: solved.x)   // (rounds × p)
            var perModel = [[Double]](repeating: [Double](repeating: 0, count: rounds), count: n)  // (n × rounds)
            for r in 0..<rounds {
                let ratingsOfRound = scale.ratings(draws[(r * p)..<(r * p + n)])
                for m in 0..<n { perModel[m][r] = ratingsOfRound[m] }
                roundRatings += ratingsOfRound
            }
            for m in 0..<n { (low[m], high[m]) = Bootstrap.interval(perModel[m], confidence: options.confidence) }
            if design.hasCovariate {
                let betas = (0..<rounds).map { draws[$0 * p + n] }
                betaInterval = Bootstrap.interval(betas, confidence: options.confidence)
            }
        }

        // Rows, best first (ties in rating broken by name for a stable order).
        let reference = scale.referenceTheta(solved.x[0..<n])
        let counts = Self.counts(comparisons, models: design.models)
        let order = (0..<n).sorted { ratings[$0] != ratings[$1] ? ratings[$0] > ratings[$1] : design.models[$0] < design.models[$1] }
        let rows = order.map { m in
            RatingRow(model: design.models[m], rating: ratings[m], ciLow: low[m], ciHigh: high[m],
                      winRateVsAnchor: BradleyTerryFit.expectedScore(fit.theta[m] - reference, tieParameter: fit.tieParameter),
                      comparisons: counts.total[m], wins: counts.wins[m], losses: counts.losses[m], ties: counts.ties[m])
        }
        let lengthEffect = fit.lengthCoefficient.map { beta in
            LengthEffect(coefficient: beta, ciLow: betaInterval!.0, ciHigh: betaInterval!.1,
                         eloPerUnit: EloScale.pointsPerLogit * beta, unit: fit.lengthScale ?? 1)
        }
        let board = Leaderboard(
            task: task, rows: rows, anchor: options.anchor, center: options.center,
            observedWinRates: Self.observed(comparisons, models: order.map { design.models[$0] }),
            predictedWinRates: Self.predicted(fit, order: order),
            tieModel: options.ties, tieParameter: fit.tieParameter, lengthEffect: lengthEffect,
            comparisons: design.comparisonCount, bootstrapRounds: rounds, seed: options.seed,
            confidence: options.confidence)
        return Rated(leaderboard: board, models: design.models, roundRatings: roundRatings)
    }

    /// One leaderboard per task (sorted by task name); comparisons without a task are left out.
    /// A task whose own graph is disconnected throws, naming the task's groups.
    public func leaderboardsPerTask(_ comparisons: [Comparison]) throws -> [Leaderboard] {
        let byTask = Dictionary(grouping: comparisons.filter { $0.task != nil }, by: { $0.task! })
        return try byTask.keys.sorted().map { task in try leaderboard(byTask[task]!, task: task) }
    }

    // MARK: - Counts and matrices

    static func counts(_ comparisons: [Comparison], models: [String])
        -> (total: [Int], wins: [Int], losses: [Int], ties: [Int]) {
        let index = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
        var total = [Int](repeating: 0, count: models.count)
        var wins = total, losses = total, ties = total
        for c in comparisons {
            let a = index[c.modelA]!, b = index[c.modelB]!, n = c.count
            total[a] += n; total[b] += n
            switch c.outcome.sign {
            case 1: wins[a] += n; losses[b] += n
            case -1: wins[b] += n; losses[a] += n
            default: ties[a] += n; ties[b] += n
            }
        }
        return (total, wins, losses, ties)
    }

    /// Observed score (win + ½ tie) of each row model against each column model.
    static func observed(_ comparisons: [Comparison], models: [String]) -> WinRateMatrix {
        let n = models.count
        let index = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
        var score = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var games = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        for c in comparisons {
            let a = index[c.modelA]!, b = index[c.modelB]!, n = c.count
            games[a][b] += n; games[b][a] += n
            let s = c.outcome.sign == 0 ? 0.5 : (c.outcome.sign > 0 ? 1.0 : 0.0)
            score[a][b] += Double(n) * s; score[b][a] += Double(n) * (1 - s)
        }
        let rates = (0..<n).map { r in (0..<n).map { c in games[r][c] > 0 ? score[r][c] / Double(games[r][c]) : nil } }
        return WinRateMatrix(models: models, rates: rates, counts: games)
    }

    /// Predicted score of each row model against each column model (length difference 0).
    static func predicted(_ fit: BradleyTerryFit, order: [Int]) -> WinRateMatrix {
        let rates: [[Double?]] = order.map { r in order.map { c in r == c ? nil : fit.expectedScore(r, c) } }
        let zeros = [[Int]](repeating: [Int](repeating: 0, count: order.count), count: order.count)
        return WinRateMatrix(models: order.map { fit.models[$0] }, rates: rates, counts: zeros)
    }
}
