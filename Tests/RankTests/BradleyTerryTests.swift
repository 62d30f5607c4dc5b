import XCTest
@testable import Rank

/// Known answers: every fit agrees with the choix/scipy reference to 1e-6 relative.
final class BradleyTerryTests: XCTestCase {
    func checkAgainstReference(_ dataset: String) throws {
        let expected = try RankFixtures.expected(dataset)
        let comparisons = try RankFixtures.battles(dataset)
        let fit = try BradleyTerryFit(comparisons, options: expected.options)
        XCTAssertEqual(fit.models, expected.models)
        for (k, model) in expected.models.enumerated() {
            assertClose(fit.theta[k], expected.theta[k], "\(dataset) θ(\(model))")
        }
        assertClose(fit.logLikelihood, expected.logLikelihood, "\(dataset) log-likelihood")
        if let nu = expected.tieParameter { assertClose(fit.tieParameter ?? .nan, nu, "\(dataset) ν") }
        else { XCTAssertNil(fit.tieParameter) }
        if let beta = expected.lengthCoefficient {
            assertClose(fit.lengthCoefficient ?? .nan, beta, "\(dataset) β")
            assertClose(fit.lengthScale ?? .nan, expected.lengthScale!, "\(dataset) length scale")
        } else { XCTAssertNil(fit.lengthCoefficient) }

        // The same fit through the leaderboard, on the Elo scale.
        var options = expected.options
        options.bootstrapRounds = 0
        let board = try Ranker(options: options).leaderboard(comparisons)
        for (k, model) in expected.models.enumerated() {
            assertClose(board.row(model)!.rating, expected.elo[k], "\(dataset) Elo(\(model))")
        }
    }

    func testTiesAsHalfWinsMatchChoixAndScipy() throws { try checkAgainstReference("ties_half") }
    func testGradedWinsMatchChoixAndScipy() throws { try checkAgainstReference("graded") }
    func testUnbeatenAndWinlessModelsGetFiniteReferenceRatings() throws {
        try checkAgainstReference("unbeaten")
        let fit = try BradleyTerryFit(RankFixtures.battles("unbeaten"), options: RatingOptions())
        XCTAssert(fit.theta.allSatisfy(\.isFinite))
        XCTAssertEqual(fit.models[fit.theta.firstIndex(of: fit.theta.max()!)!], "top")
    }
    func testDavidsonTieModelMatchesScipy() throws { try checkAgainstReference("davidson") }
    func testLengthControlMatchesScipy() throws { try checkAgainstReference("length") }
    func testBattlesWithTasksMatchChoixAndScipy() throws { try checkAgainstReference("tasks") }

    // MARK: - Properties

    func testOrderOfAAndBDoesNotMatter() throws {
        let comparisons = try RankFixtures.battles("graded")
        let a = try BradleyTerryFit(comparisons, options: RatingOptions())
        let b = try BradleyTerryFit(comparisons.enumerated().map { $0.offset % 2 == 0 ? $0.element.mirrored : $0.element },
                                    options: RatingOptions())
        for k in a.theta.indices { XCTAssertEqual(a.theta[k], b.theta[k], accuracy: 1e-10) }
    }

    func testThetaIsCentered() throws {
        for dataset in ["ties_half", "davidson", "length"] {
            let e = try RankFixtures.expected(dataset)
            let fit = try BradleyTerryFit(RankFixtures.battles(dataset), options: e.options)
            XCTAssertEqual(fit.theta.reduce(0, +), 0, accuracy: 1e-9, dataset)
        }
    }

    func testStrongerWeightSpreadsRatings() throws {
        let comparisons = try RankFixtures.battles("graded")
        var one = RatingOptions(); one.strongWinWeight = 1
        var five = RatingOptions(); five.strongWinWeight = 5
        let spread1 = try BradleyTerryFit(comparisons, options: one).theta.map(abs).reduce(0, +)
        let spread5 = try BradleyTerryFit(comparisons, options: five).theta.map(abs).reduce(0, +)
        XCTAssertGreaterThan(spread5, spread1)
    }

    func testInvalidOptionsAreRejected() {
        var o = RatingOptions(); o.prior = -0.01
        XCTAssertThrowsError(try o.validate())
        o.prior = 0   // the plain maximum likelihood
        XCTAssertNoThrow(try o.validate())
        o = RatingOptions(); o.ties = .davidson; o.control = .length
        XCTAssertThrowsError(try o.validate())
        o = RatingOptions(); o.strongWinWeight = 0.5
        XCTAssertThrowsError(try o.validate())
    }

    func testLengthControlNeedsLengths() {
        var o = RatingOptions(); o.control = .length
        let c = [Comparison(modelA: "a", modelB: "b", outcome: .aBetter, lengthA: 10, lengthB: 20),
                 Comparison(modelA: "a", modelB: "b", outcome: .bBetter)]
        XCTAssertThrowsError(try BradleyTerryFit(c, options: o)) { XCTAssertEqual($0 as? RankError, .missingLengths(count: 1, total: 2)) }
        let same = [Comparison(modelA: "a", modelB: "b", outcome: .aBetter, lengthA: 10, lengthB: 10)]
        XCTAssertThrowsError(try BradleyTerryFit(same, options: o)) { XCTAssertEqual($0 as? RankError, .constantLengths) }
    }
}
