import XCTest
@testable import Rank

/// The plain maximum-likelihood fit (`prior` 0, choix's `alpha=0`, scikit-learn's `penalty=None`): reached by
/// the gauge-fixed Newton whenever it exists, refused by name when it does not.
extension BradleyTerryTests {
    // MARK: - Against the references

    func testPlainMaximumLikelihoodMatchesChoixAndScipyOn9000Battles() throws { try checkAgainstReference("mle") }
    func testPlainMaximumLikelihoodWithDavidsonTiesMatchesScipy() throws { try checkAgainstReference("mle_davidson") }
    func testPlainMaximumLikelihoodWithLengthControlMatchesScipy() throws { try checkAgainstReference("mle_length") }

    /// A vanishing prior used to leave the Newton system singular to rounding (steps never below 1e-10).
    func testATinyPriorConvergesToTheMaximumLikelihood() throws {
        let expected = try RankFixtures.expected("mle")
        var options = expected.options
        options.prior = 1e-9
        let fit = try BradleyTerryFit(RankFixtures.battles("mle"), options: options)
        XCTAssertLessThan(fit.iterations, 20)
        for k in expected.theta.indices { XCTAssertEqual(fit.theta[k], expected.theta[k], accuracy: 1e-6) }
    }

    func testBootstrapRoundsFitWithoutAPrior() throws {
        var options = try RankFixtures.expected("mle").options
        options.bootstrapRounds = 16
        let board = try Ranker(options: options).leaderboard(RankFixtures.battles("mle"))
        for row in board.rows {
            XCTAssertLessThanOrEqual(row.ciLow, row.rating)
            XCTAssertGreaterThanOrEqual(row.ciHigh, row.rating)
            XCTAssertLessThan(row.ciLow, row.ciHigh, row.model)
        }
    }

    // MARK: - When there is none

    func testWithoutAPriorAnUnbeatenModelIsNamed() throws {
        var options = RatingOptions()
        options.prior = 0
        XCTAssertThrowsError(try BradleyTerryFit(RankFixtures.battles("unbeaten"), options: options)) { error in
            XCTAssertEqual(error as? RankError, .infiniteMaximumLikelihood(neverLost: [["top"]], neverWon: [["bottom"]]))
            XCTAssertTrue("\(error)".contains("top never lost"), "\(error)")
        }
    }

    func testWithoutAPriorAGroupThatNeverLostIsNamedAsAGroup() throws {
        // a and b trade wins, and both beat c and d, who trade wins too.
        let c: [Comparison] = [
            .init(modelA: "a", modelB: "b", outcome: .aBetter), .init(modelA: "a", modelB: "b", outcome: .bBetter),
            .init(modelA: "c", modelB: "d", outcome: .tie),
            .init(modelA: "a", modelB: "c", outcome: .aBetter), .init(modelA: "d", modelB: "b", outcome: .bBetter),
        ]
        var options = RatingOptions()
        options.prior = 0
        XCTAssertThrowsError(try BradleyTerryFit(c, options: options)) { error in
            XCTAssertEqual(error as? RankError, .infiniteMaximumLikelihood(neverLost: [["a", "b"]], neverWon: [["c", "d"]]))
        }
        options.prior = 0.05
        XCTAssertNoThrow(try BradleyTerryFit(c, options: options))
    }

    func testWithoutAPriorDavidsonNeedsATie() throws {
        var options = RatingOptions()
        options.prior = 0
        options.ties = .davidson
        let c: [Comparison] = [.init(modelA: "a", modelB: "b", outcome: .aBetter), .init(modelA: "a", modelB: "b", outcome: .bBetter)]
        XCTAssertThrowsError(try BradleyTerryFit(c, options: options)) { error in
            XCTAssertTrue("\(error)".contains("no verdict is a tie"), "\(error)")
        }
    }

    func testStrongComponentsOfAWinGraph() {
        // 0 ⇄ 1 → 2 ⇄ 3, 4 alone.
        let successors = [[1], [0, 2], [3], [2], []]
        var predecessors = [[Int]](repeating: [], count: 5)
        for (i, next) in successors.enumerated() { for j in next { predecessors[j].append(i) } }
        let component = Likelihood.strongComponents(successors: successors, predecessors: predecessors)
        XCTAssertEqual(component[0], component[1])
        XCTAssertEqual(component[2], component[3])
        XCTAssertEqual(Set(component).count, 3)
    }
}
