import XCTest
@testable import Rank

final class RankerTests: XCTestCase {
    func options(rounds: Int = 200, seed: UInt64 = 7) -> RatingOptions {
        var o = RatingOptions()
        o.bootstrapRounds = rounds
        o.seed = seed
        return o
    }

    // MARK: - Bootstrap

    func testBootstrapIsReproducibleForASeed() throws {
        let comparisons = try RankFixtures.battles("ties_half")
        let a = try Ranker(options: options()).leaderboard(comparisons)
        let b = try Ranker(options: options()).leaderboard(comparisons)
        XCTAssertEqual(a, b)
        let c = try Ranker(options: options(seed: 8)).leaderboard(comparisons)
        XCTAssertNotEqual(a.rows.map(\.ciLow), c.rows.map(\.ciLow))
        XCTAssertEqual(a.rows.map(\.rating), c.rows.map(\.rating))
    }

    func testIntervalsBracketTheEstimateAndMatchTheSandwichVariance() throws {
        // The nonparametric bootstrap estimates the sandwich covariance H⁻¹ J H⁻¹ (H the Hessian
        // of the negative log-posterior, J the sum of per-comparison score outer products) —
        // not H⁻¹ alone, which overstates the variance when ties (y = ½) are common.
        // 600 battles, 8 models: the bootstrap SD must be within 20 % of the sandwich SE.
        let comparisons = try RankFixtures.battles("ties_half")
        let board = try Ranker(options: options(rounds: 1000)).leaderboard(comparisons)
        let design = try ComparisonDesign(comparisons, options: RatingOptions())
        let likelihood = Likelihood(design: design, totals: design.cellTotals(groupCounts: design.groupCount), prior: 0.05)
        let x = try likelihood.fit().x
        let n = design.modelCount
        let hInverse = Cholesky.inverse(likelihood.evaluate(x).hessian, size: n)!   // (n × n)
        var j = [Double](repeating: 0, count: n * n)                                  // (n × n)
        for c in comparisons {
            let a = design.models.firstIndex(of: c.modelA)!, b = design.models.firstIndex(of: c.modelB)!
            let (wa, wb, _) = ComparisonDesign.contribution(of: c.outcome, options: RatingOptions())
            let g = (wa + wb) * sigmoid(x[a] - x[b]) - wa           // score w.r.t. θ_a; −g w.r.t. θ_b
            j[a * n + a] += g * g; j[b * n + b] += g * g; j[a * n + b] -= g * g; j[b * n + a] -= g * g
        }
        func product(_ p: [Double], _ q: [Double]) -> [Double] {
            var r = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for k in 0..<n { for l in 0..<n { r[i * n + l] += p[i * n + k] * q[k * n + l] } } }
            return r
        }
        let sandwich = product(product(hInverse, j), hInverse)
        for row in board.rows {
            XCTAssertLessThan(row.ciLow, row.rating)
            XCTAssertGreaterThan(row.ciHigh, row.rating)
            let m = design.models.firstIndex(of: row.model)!
            // Var(θ_m − mean θ) = cᵀ Σ c, c = e_m − 1/n.
            var variance = 0.0
            for i in 0..<n { for k in 0..<n {
                let ci = (i == m ? 1 : 0) - 1 / Double(n), ck = (k == m ? 1 : 0) - 1 / Double(n)
                variance += ci * sandwich[i * n + k] * ck
            } }
            let se = EloScale.pointsPerLogit * variance.squareRoot()
            let bootstrapSE = (row.ciHigh - row.ciLow) / (2 * 1.959964)
            XCTAssertEqual(bootstrapSE / se, 1, accuracy: 0.2, "\(row.model): bootstrap \(bootstrapSE) vs sandwich \(se)")
        }
    }

    func testLengthCoefficientHasAnInterval() throws {
        var o = options(rounds: 200)
        o.control = .length
        let board = try Ranker(options: o).leaderboard(RankFixtures.battles("length"))
        let effect = try XCTUnwrap(board.lengthEffect)
        XCTAssertLessThan(effect.ciLow, effect.coefficient)
        XCTAssertGreaterThan(effect.ciHigh, effect.coefficient)
        XCTAssertGreaterThan(effect.ciLow, 0, "the fixture was simulated with a positive length effect")
        XCTAssertEqual(effect.eloPerUnit, effect.coefficient * 400 / log(10), accuracy: 1e-9)
    }

    // MARK: - Scale

    func testAnchorPinsTheModelAndKeepsDifferences() throws {
        let comparisons = try RankFixtures.battles("ties_half")
        let centered = try Ranker(options: options()).leaderboard(comparisons)
        var o = options()
        let anchorModel = centered.rows[3].model
        o.anchor = .init(model: anchorModel, rating: 1200)
        let anchored = try Ranker(options: o).leaderboard(comparisons)
        XCTAssertEqual(anchored.row(anchorModel)!.rating, 1200, accuracy: 1e-9)
        XCTAssertEqual(anchored.row(anchorModel)!.ciLow, 1200, accuracy: 1e-9)
        XCTAssertEqual(anchored.row(anchorModel)!.winRateVsAnchor, 0.5, accuracy: 1e-12)
        let shift = 1200 - centered.row(anchorModel)!.rating
        for row in centered.rows {
            XCTAssertEqual(anchored.row(row.model)!.rating, row.rating + shift, accuracy: 1e-9)
            // 400 points = 10:1 odds.
            let expected = 1 / (1 + pow(10, -(anchored.row(row.model)!.rating - 1200) / 400))
            XCTAssertEqual(anchored.row(row.model)!.winRateVsAnchor, expected, accuracy: 1e-12)
        }
        o.anchor = .init(model: "nobody", rating: 1000)
        XCTAssertThrowsError(try Ranker(options: o).leaderboard(comparisons)) {
            guard case .unknownAnchor("nobody", _)? = $0 as? RankError else { return XCTFail("\($0)") }
        }
    }

    func testAnchorParsing() {
        XCTAssertEqual(RatingOptions.Anchor(parsing: "gpt-4=1000"), .init(model: "gpt-4", rating: 1000))
        XCTAssertEqual(RatingOptions.Anchor(parsing: "a=b=1100.5"), .init(model: "a=b", rating: 1100.5))
        XCTAssertNil(RatingOptions.Anchor(parsing: "gpt-4"))
        XCTAssertNil(RatingOptions.Anchor(parsing: "=1000"))
        XCTAssertNil(RatingOptions.Anchor(parsing: "gpt-4=high"))
    }

    // MARK: - Rows and matrices

    func testRowsAreSortedAndCountsAddUp() throws {
        let comparisons = try RankFixtures.battles("graded")
        let board = try Ranker(options: options(rounds: 0)).leaderboard(comparisons)
        XCTAssertEqual(board.rows.map(\.rating), board.rows.map(\.rating).sorted(by: >))
        XCTAssertEqual(board.rows.map(\.comparisons).reduce(0, +), 2 * comparisons.count)
        XCTAssertEqual(board.rows.map(\.wins).reduce(0, +), board.rows.map(\.losses).reduce(0, +))
        for row in board.rows { XCTAssertEqual(row.wins + row.losses + row.ties, row.comparisons) }
        let ties = comparisons.filter { $0.outcome.isTie }.count
        XCTAssertEqual(board.rows.map(\.ties).reduce(0, +), 2 * ties)
    }

    func testWinRateMatrices() throws {
        let comparisons = try RankFixtures.battles("ties_half")
        let board = try Ranker(options: options(rounds: 0)).leaderboard(comparisons)
        let models = board.rows.map(\.model)
        XCTAssertEqual(board.observedWinRates.models, models)
        for a in models { for b in models where a != b {
            let o1 = board.observedWinRates.rate(a, against: b), o2 = board.observedWinRates.rate(b, against: a)
            if let o1, let o2 { XCTAssertEqual(o1 + o2, 1, accuracy: 1e-12) }
            let p1 = board.predictedWinRates.rate(a, against: b)!, p2 = board.predictedWinRates.rate(b, against: a)!
            XCTAssertEqual(p1 + p2, 1, accuracy: 1e-12)
            let gap = board.row(a)!.rating - board.row(b)!.rating
            XCTAssertEqual(p1, 1 / (1 + pow(10, -gap / 400)), accuracy: 1e-12)
        } }
        // Check one observed cell by hand.
        let (a, b) = (models[0], models[1])
        let games = comparisons.filter { Set([$0.modelA, $0.modelB]) == Set([a, b]) }
        let score = games.reduce(0.0) { s, c in
            let side = c.modelA == a ? c.outcome.sign : -c.outcome.sign
            return s + (side > 0 ? 1 : side == 0 ? 0.5 : 0)
        }
        XCTAssertEqual(board.observedWinRates.rate(a, against: b)!, score / Double(games.count), accuracy: 1e-12)
    }

    func testDavidsonPredictedScoresCountHalfTies() throws {
        var o = options(rounds: 0)
        o.ties = .davidson
        let board = try Ranker(options: o).leaderboard(RankFixtures.battles("davidson"))
        let nu = try XCTUnwrap(board.tieParameter)
        let top = board.rows[0], bottom = board.rows.last!
        let d = (top.rating - bottom.rating) / EloScale.pointsPerLogit
        let pi = exp(d / 2), pj = exp(-d / 2)
        XCTAssertEqual(board.predictedWinRates.rate(top.model, against: bottom.model)!,
                       (pi + nu / 2) / (pi + pj + nu), accuracy: 1e-12)
    }

    // MARK: - Graph and tasks

    func testDisconnectedGraphNamesTheGroups() {
        let c = [Comparison(modelA: "a", modelB: "b", outcome: .aBetter),
                 Comparison(modelA: "c", modelB: "d", outcome: .tie),
                 Comparison(modelA: "b", modelB: "e", outcome: .bBetter)]
        XCTAssertThrowsError(try Ranker(options: options()).leaderboard(c)) { error in
            XCTAssertEqual(error as? RankError, .disconnected(groups: [["a", "b", "e"], ["c", "d"]]))
            XCTAssert("\(error)".contains("{a, b, e} | {c, d}"))
        }
        XCTAssertTrue(ComparisonGraph(c + [Comparison(modelA: "e", modelB: "d", outcome: .tie)]).isConnected)
    }

    func testPerTaskLeaderboardsEqualFitsOfTheFilteredData() throws {
        let comparisons = try RankFixtures.battles("tasks")
        let ranker = Ranker(options: options(rounds: 50))
        let boards = try ranker.leaderboardsPerTask(comparisons)
        XCTAssertEqual(boards.map(\.task), ["code", "math", "writing"])
        for board in boards {
            let alone = try ranker.leaderboard(comparisons.filter { $0.task == board.task }, task: board.task)
            XCTAssertEqual(board, alone)
            XCTAssertEqual(board.comparisons, comparisons.filter { $0.task == board.task }.count)
        }
    }

    func testNoComparisonsAndSelfComparisonsAreErrors() {
        XCTAssertThrowsError(try Ranker().leaderboard([], task: "x")) { XCTAssertEqual($0 as? RankError, .noComparisons(task: "x")) }
        XCTAssertThrowsError(try Ranker().leaderboard([Comparison(modelA: "a", modelB: "a", outcome: .tie)])) {
            XCTAssertEqual($0 as? RankError, .selfComparison(model: "a"))
        }
    }

    func testRowsEncodeWithSnakeCaseKeys() throws {
        let row = RatingRow(model: "m", rating: 1010, ciLow: 990, ciHigh: 1030, winRateVsAnchor: 0.51,
                            comparisons: 10, wins: 5, losses: 4, ties: 1)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(row)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["model", "rating", "ci_low", "ci_high", "win_rate_vs_anchor",
                                        "comparisons", "wins", "losses", "ties"])
    }
}

// MARK: - Deduplicated (counted) comparisons

final class CountedComparisonTests: XCTestCase {
    /// The same verdicts given one by one or deduplicated with counts rate identically —
    /// ratings, intervals (same seed), counts and win rates.
    func testCountsRateLikeRepeatedComparisons() throws {
        let expanded = try RankFixtures.battles("graded")
        var order: [Comparison] = []
        var counts: [Comparison: Int] = [:]
        for c in expanded {
            if counts[c] == nil { order.append(c) }
            counts[c, default: 0] += 1
        }
        let deduplicated = order.map { c -> Comparison in var d = c; d.count = counts[c]!; return d }
        XCTAssertLessThan(deduplicated.count, expanded.count, "the fixture should contain repeats")
        XCTAssertEqual(deduplicated.verdictCount, expanded.count)
        var options = RatingOptions()
        options.bootstrapRounds = 100
        let a = try Ranker(options: options).leaderboard(expanded)
        let b = try Ranker(options: options).leaderboard(deduplicated)
        XCTAssertEqual(a, b)
        XCTAssertEqual(b.comparisons, expanded.count)
    }

    func testACountBelowOneIsRejected() {
        let bad = [Comparison(modelA: "a", modelB: "b", outcome: .aBetter, count: 0)]
        XCTAssertThrowsError(try Ranker().leaderboard(bad)) { error in
            XCTAssert("\(error)".contains("count 0"), "\(error)")
        }
    }

    func testCountIsOptionalInJSON() throws {
        let json = Data(#"{"modelA": "a", "modelB": "b", "outcome": "A>B"}"#.utf8)
        XCTAssertEqual(try JSONDecoder().decode(Comparison.self, from: json).count, 1)
    }
}
