import XCTest
@testable import Rank

final class RankCorrelationTests: XCTestCase {
    func testMatchesScipyWithAndWithoutTies() throws {
        for (k, c) in try RankFixtures.correlations().enumerated() {
            assertClose(RankCorrelation.kendallTau(c.x, c.y), c.kendallTauB, relative: 1e-12, "case \(k) tau")
            assertClose(RankCorrelation.spearmanRho(c.x, c.y), c.spearmanRho, relative: 1e-12, "case \(k) rho")
        }
    }

    func testExtremes() {
        XCTAssertEqual(RankCorrelation.kendallTau([1, 2, 3, 4], [10, 20, 30, 40]), 1)
        XCTAssertEqual(RankCorrelation.kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1)
        XCTAssertEqual(RankCorrelation.spearmanRho([1, 2, 3, 4], [1, 4, 9, 16]), 1, accuracy: 1e-15)
        XCTAssert(RankCorrelation.kendallTau([1, 1, 1], [1, 2, 3]).isNaN)
        XCTAssertEqual(RankCorrelation.averageRanks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
    }
}
