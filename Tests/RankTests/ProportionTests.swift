import XCTest
@testable import Rank

final class ProportionTests: XCTestCase {
    /// scipy's binomtest(k, n, 0.5): p-value and Wilson interval (Fixtures/agreement/proportions.expected.json).
    func testMatchesScipysBinomialTestAndWilsonInterval() throws {
        let cases = try XCTUnwrap(AgreementFixtures.expected("proportions.expected.json") as? [[String: Any]])
        XCTAssertGreaterThan(cases.count, 5)
        for c in cases {
            let k = c["successes"] as! Int, n = c["trials"] as! Int
            let p = try XCTUnwrap(Proportion(successes: k, trials: n))
            XCTAssertEqual(p.value, Double(k) / Double(n))
            XCTAssertEqual(p.pValue, c["p_value"] as! Double, accuracy: 1e-10, "\(k)/\(n)")
            XCTAssertEqual(p.ciLow, c["ci_low"] as! Double, accuracy: 1e-9, "\(k)/\(n)")
            XCTAssertEqual(p.ciHigh, c["ci_high"] as! Double, accuracy: 1e-9, "\(k)/\(n)")
        }
    }

    func testNoTrialsIsNoShare() {
        XCTAssertNil(Proportion(successes: 0, trials: 0))
    }

    func testNormalQuantile() {
        XCTAssertEqual(Proportion.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(Proportion.normalQuantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(Proportion.normalQuantile(0.005), -2.5758293035489004, accuracy: 1e-10)
        XCTAssertEqual(Proportion.normalQuantile(1e-10), -6.361340902404056, accuracy: 1e-8)
    }
}
