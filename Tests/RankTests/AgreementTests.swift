import XCTest
@testable import Rank

final class AgreementTests: XCTestCase {
    /// Known answers: MT-Bench's agreement rule, scikit-learn's cohen_kappa_score and confusion_matrix,
    /// computed by scripts/reference/agreement_reference.py on the committed votes.
    func testJudgeAgainstHumansMatchesTheReference() throws {
        try check(first: { $0 == "judge-1" }, second: { $0.hasPrefix("expert") }, expected: "judge_vs_humans")
    }

    func testJudgeAgainstJudgeMatchesTheReference() throws {
        try check(first: { $0 == "judge-1" }, second: { $0 == "judge-2" }, expected: "judge_vs_judge")
    }

    func check(first: (String) -> Bool, second: (String) -> Bool, expected name: String) throws {
        let all = try XCTUnwrap(AgreementFixtures.expected("agreement.expected.json") as? [String: Any])
        let e = try XCTUnwrap(all[name] as? [String: Any])
        let a = Agreement(first: try AgreementFixtures.votes(first), second: try AgreementFixtures.votes(second),
                          bootstrapRounds: 400, seed: 3)
        XCTAssertEqual(a.matchedKeys, e["matched_keys"] as? Int)
        XCTAssertEqual(a.onlyFirst, e["only_first"] as? Int)
        XCTAssertEqual(a.onlySecond, e["only_second"] as? Int)
        XCTAssertEqual(a.votePairs, e["vote_pairs"] as? Int)
        let withTies = try XCTUnwrap(e["with_ties"] as? [String: Any]), without = try XCTUnwrap(e["without_ties"] as? [String: Any])
        XCTAssertEqual(a.withTies?.agreements, withTies["agreements"] as? Int)
        XCTAssertEqual(a.withTies?.total, withTies["total"] as? Int)
        XCTAssertEqual(a.withoutTies?.agreements, without["agreements"] as? Int)
        XCTAssertEqual(a.withoutTies?.total, without["total"] as? Int)
        XCTAssertEqual(try XCTUnwrap(a.kappa?.value), e["kappa"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(a.confusion, e["confusion"] as? [[Int]])

        // Every interval holds its estimate, and is about as wide as the binomial standard error says.
        for rate in [a.withTies!, a.withoutTies!] {
            XCTAssertLessThanOrEqual(rate.ciLow, rate.value)
            XCTAssertGreaterThanOrEqual(rate.ciHigh, rate.value)
            let se = (rate.value * (1 - rate.value) / Double(rate.total)).squareRoot()
            XCTAssertEqual(rate.ciHigh - rate.ciLow, 2 * 1.96 * se, accuracy: 2 * 1.96 * se * 0.45)
        }
        XCTAssertLessThan(a.kappa!.ciLow, a.kappa!.value)
        XCTAssertGreaterThan(a.kappa!.ciHigh, a.kappa!.value)
        XCTAssertEqual(a.confusionShares.flatMap { $0 }.map(\.value).reduce(0, +), 1, accuracy: 1e-12)
        for cell in a.confusionShares.flatMap({ $0 }) { XCTAssert(cell.ciLow <= cell.value && cell.value <= cell.ciHigh) }
    }

    func testOrientationAndGradesDoNotMatter() {
        let judge = [Vote(item: "1", modelA: "x", modelB: "y", outcome: .aMuchBetter),
                     Vote(item: "2", modelA: "y", modelB: "x", outcome: .tieBothBad)]
        let human = [Vote(item: "1", modelA: "y", modelB: "x", outcome: .bBetter),
                     Vote(item: "2", modelA: "x", modelB: "y", outcome: .tie),
                     Vote(item: "3", modelA: "x", modelB: "y", outcome: .tie)]
        let a = Agreement(first: judge, second: human, bootstrapRounds: 50)
        XCTAssertEqual(a.matchedKeys, 2)
        XCTAssertEqual(a.onlySecond, 1)
        XCTAssertEqual(a.withTies?.value, 1)
        XCTAssertEqual(a.withoutTies?.total, 1)
        XCTAssertEqual(a.confusion, [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    }

    func testNothingMatchedHasNoFigures() {
        let a = Agreement(first: [Vote(item: "1", modelA: "x", modelB: "y", outcome: .tie)],
                          second: [Vote(item: "2", modelA: "x", modelB: "y", outcome: .tie)])
        XCTAssertEqual(a.matchedKeys, 0)
        XCTAssertNil(a.withTies)
        XCTAssertNil(a.withoutTies)
        XCTAssertNil(a.kappa)
        XCTAssertEqual(a.confusionShares, [])
    }

    func testReproducibleForASeed() throws {
        let first = try AgreementFixtures.votes { $0 == "judge-1" }, second = try AgreementFixtures.votes { $0 == "judge-2" }
        XCTAssertEqual(Agreement(first: first, second: second, bootstrapRounds: 100, seed: 9),
                       Agreement(first: first, second: second, bootstrapRounds: 100, seed: 9))
    }

    func testTextNamesTheRatersAndShowsTheConfusionMatrix() throws {
        let a = Agreement(first: try AgreementFixtures.votes { $0 == "judge-1" }, second: try AgreementFixtures.votes { $0.hasPrefix("expert") },
                          bootstrapRounds: 100)
        let text = a.text(first: "judge-1", second: "human labels")
        XCTAssert(text.hasPrefix("agreement of judge-1 with human labels: \(a.matchedKeys) (item, pair) keys in common"), text)
        XCTAssert(text.contains("  with ties       \(Int((a.withTies!.value * 100).rounded()))% (\(a.withTies!.agreements) of \(a.withTies!.total); 95%: "), text)
        XCTAssert(text.contains("  Cohen's kappa   " + String(format: "%.2f", a.kappa!.value) + " (95%: "), text)
        let cell = "\(a.confusion[0][0]) (\(Int((a.confusionShares[0][0].value * 100).rounded()))%)"
        XCTAssert(text.contains("\n  A       " + cell.leftPad(14)), text)
    }
}

private extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
