import XCTest
@testable import Rank

/// Every reference fit passes the rating vector's debug checks (they run in the checked configuration).
final class BradleyTerryInvariantsTests: XCTestCase {
    func testEveryReferenceFitKeepsItsInvariants() throws {
        for dataset in ["ties_half", "graded", "unbeaten", "davidson", "length", "tasks", "mle", "mle_davidson", "mle_length"] {
            let fit = try BradleyTerryFit(RankFixtures.battles(dataset), options: RankFixtures.expected(dataset).options)
            fit._checkInvariants()
            XCTAssertEqual(fit.theta.reduce(0, +), 0, accuracy: 1e-9, dataset)
        }
    }
}
