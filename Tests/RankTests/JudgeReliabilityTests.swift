import XCTest
@testable import Rank

final class JudgeReliabilityTests: XCTestCase {
    func measure(_ pairs: [OrderedVerdicts], unparsed: Int = 0, failed: Int = 0) -> JudgeReliability {
        let verdicts = pairs.reduce(0) { $0 + ($1.aFirst == nil ? 0 : 1) + ($1.bFirst == nil ? 0 : 1) }
        return JudgeReliability(pairs, calls: JudgeCalls(calls: verdicts + unparsed + failed, unparsed: unparsed, failed: failed),
                                bootstrapRounds: 400, seed: 5)
    }

    /// `count` copies of one pair's verdicts, A's answer the longer one.
    func pairs(_ count: Int, _ aFirst: PositionVerdict?, _ bFirst: PositionVerdict?) -> [OrderedVerdicts] {
        Array(repeating: OrderedVerdicts(aFirst: aFirst, bFirst: bFirst, lengthA: 200, lengthB: 100), count: count)
    }

    // MARK: Known answers

    /// Figures computed from the definitions by scripts/reference/agreement_reference.py (numpy, scipy).
    func testMatchesTheReferenceFigures() throws {
        let e = try XCTUnwrap(AgreementFixtures.expected("reliability.expected.json") as? [String: Any])
        let pairs = try AgreementFixtures.pairs()
        let r = measure(pairs, unparsed: pairs.filter { $0.bFirst == nil }.count)
        XCTAssertEqual(r.bothOrderPairs, e["both_order_pairs"] as? Int)
        XCTAssertEqual(r.positionConsistency?.successes, e["agreements"] as? Int)
        XCTAssertEqual(try XCTUnwrap(r.chanceConsistency), e["chance_consistency"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(r.consistencyBeyondPosition?.value), e["consistency_beyond_position"] as! Double, accuracy: 1e-12)
        let p = e["position_only_p_value"] as! Double
        XCTAssertEqual(try XCTUnwrap(r.positionOnlyPValue), p, accuracy: p * 1e-9)   // scipy's binomtest(alternative="greater")
        let first = try XCTUnwrap(e["first_position"] as? [String: Any]), longer = try XCTUnwrap(e["longer_answer_wins"] as? [String: Any])
        XCTAssertEqual(r.firstPosition?.successes, first["successes"] as? Int)
        XCTAssertEqual(r.firstPosition?.trials, first["trials"] as? Int)
        XCTAssertEqual(try XCTUnwrap(r.firstPosition?.pValue), first["p_value"] as! Double, accuracy: 1e-20)
        XCTAssertEqual(r.longerAnswerWins?.successes, longer["successes"] as? Int)
        XCTAssertEqual(r.longerAnswerWins?.trials, longer["trials"] as? Int)
        // Reads the answers (beyond position 0.35, interval above 0.1) but favours the first one (64%): biased.
        XCTAssertEqual(r.status, .biased, r.summary)
        XCTAssertGreaterThan(r.consistencyBeyondPosition!.ciLow, 0.1)
        XCTAssert(r.summary.hasPrefix("biased: the first answer wins 64% of decisive verdicts"), r.summary)
    }

    // MARK: The statuses

    /// The demo's SmolLM2 judge: the first answer wins every decisive verdict, the orders never agree.
    // MARK: The interval of consistency beyond position

    /// Pairs of a few kinds (κ reads only counts): at or below 16 pairs a kind the bootstrap draws pair by
    /// pair, exactly as the plain unit bootstrap; above it one multinomial over the kinds a round — the same
    /// distribution, so its interval agrees with the pair-by-pair one within Monte Carlo error.
    func testTheKindBootstrapMatchesThePairByPairBootstrap() throws {
        var pairs: [OrderedVerdicts] = []
        let kinds: [(PositionVerdict?, PositionVerdict?, Int)] = [
            (.first, .second, 700), (.second, .first, 500), (.first, .first, 450), (.tie, .tie, 90),
            (.first, .tie, 160), (.second, .second, 100),
        ]
        for (x, y, n) in kinds { pairs += self.pairs(n, x, y) }
        let both = pairs.compactMap(JudgeReliability.BothOrders.init)
        let all = [Int](repeating: 1, count: both.count)
        let kappa = try XCTUnwrap(JudgeReliability.beyondPosition(both, all))
        let byPair = try XCTUnwrap(Bootstrap.unitInterval(units: both.count, rounds: 2000, seed: 9, confidence: 0.95) {
            JudgeReliability.beyondPosition(both, $0)
        })
        let r = JudgeReliability(pairs, calls: JudgeCalls(calls: 2 * pairs.count, unparsed: 0, failed: 0), bootstrapRounds: 2000, seed: 9)
        let byKind = try XCTUnwrap(r.consistencyBeyondPosition)
        XCTAssertEqual(byKind.value, kappa, accuracy: 1e-12)
        XCTAssertEqual(byKind.ciLow, byPair.0, accuracy: 0.01)
        XCTAssertEqual(byKind.ciHigh, byPair.1, accuracy: 0.01)
        XCTAssertLessThan(byKind.ciLow, kappa)
        XCTAssertGreaterThan(byKind.ciHigh, kappa)

        // Few pairs: drawn pair by pair, the very same numbers as the unit bootstrap.
        let small = Array(pairs.prefix(40)) + Array(pairs.suffix(40))
        let smallBoth = small.compactMap(JudgeReliability.BothOrders.init)
        let expected = try XCTUnwrap(Bootstrap.unitInterval(units: smallBoth.count, rounds: 400, seed: 5, confidence: 0.95) {
            JudgeReliability.beyondPosition(smallBoth, $0)
        })
        let measured = try XCTUnwrap(measure(small).consistencyBeyondPosition)
        XCTAssertEqual(measured.ciLow, expected.0)
        XCTAssertEqual(measured.ciHigh, expected.1)
    }

    func testAJudgeThatReadsOnlyPositionIsUnreliable() {
        let r = measure(pairs(96, .first, .first))
        XCTAssertEqual(r.status, .unreliable)
        XCTAssertEqual(r.firstPosition?.value, 1)
        XCTAssertEqual(r.positionConsistency?.value, 0)
        XCTAssertEqual(r.chanceConsistency, 0)
        XCTAssertEqual(r.consistencyBeyondPosition, IntervalEstimate(value: 0, ciLow: 0, ciHigh: 0))
        XCTAssertEqual(r.longerAnswerWins?.value, 0.5)   // position alone, both orders: no length preference
        XCTAssert(r.summary.hasPrefix("unreliable: its verdicts follow the answers' positions, not their content: "
                                      + "the two orders agree on 0% of 96 pairs, where position alone predicts 0%"), r.summary)
        XCTAssert(r.summary.hasSuffix("the first answer wins 100% of decisive verdicts"), r.summary)
        XCTAssert(r.warning!.hasPrefix("The judge is unreliable — its verdicts follow"), r.warning!)
    }

    /// The demo again, as a logprob judge: P(first better) ≈ 0.8 whatever it reads, nudged a little by the answers.
    func testALogprobJudgeThatFavoursThePositionIsUnreliableAndItsShiftIsMeasured() {
        var rng = SeededGenerator(seed: 4)
        let ps = (0..<80).map { _ -> OrderedVerdicts in
            let content = (rng.uniform() - 0.5) * 0.1
            return OrderedVerdicts(aFirst: .first, bFirst: .first, aFirstPreference: 0.8 + content, bFirstPreference: 0.8 - content)
        }
        let r = measure(ps)
        XCTAssertEqual(r.status, .unreliable)
        XCTAssertEqual(r.logprobPairs, 80)
        XCTAssertEqual(try XCTUnwrap(r.positionShift?.value), 0.6, accuracy: 1e-9)
        XCTAssertEqual(r.positionShift!.ciLow, 0.6, accuracy: 1e-9)
    }

    /// MT-Bench's GPT-4 (table 2): consistent 65%, biased to the first position 30%, to the second 5%.
    func testGPT4sMTBenchFiguresAreNotUnreliable() {
        let ps = pairs(60, .first, .second) + pairs(60, .second, .first) + pairs(10, .tie, .tie)
            + pairs(60, .first, .first) + pairs(10, .second, .second)
        let r = measure(ps)
        XCTAssertEqual(r.positionConsistency?.value, 0.65)
        XCTAssertEqual(try XCTUnwrap(r.consistencyBeyondPosition?.value), 0.39, accuracy: 0.01)
        XCTAssertNotEqual(r.status, .unreliable, r.summary)
        XCTAssertEqual(r.status, .biased, r.summary)   // the first answer wins 63% of decisive verdicts
    }

    /// FastChat's GPT-4 figures: the first position wins 52.6%, the longer answer 68% — reliable.
    func testFastChatsGPT4FiguresAreReliable() {
        let ps = pairs(300, .first, .second) + pairs(140, .second, .first) + pairs(40, .first, .first) + pairs(20, .second, .second)
        let r = measure(ps)
        XCTAssertEqual(r.firstPosition?.value, 0.52)
        XCTAssertEqual(r.longerAnswerWins?.value, 0.66)
        XCTAssertEqual(r.status, .reliable, r.summary)
        XCTAssertEqual(r.reasons, [])
        XCTAssertNil(r.warning)
        XCTAssert(r.summary.hasPrefix("reliable: the two orders agree on 88% of 500 pairs"), r.summary)
    }

    /// MT-Bench's Claude-v1: consistent 23.8%, biased to the first position 75% — position explains it.
    func testClaudeV1sMTBenchFiguresAreUnreliable() {
        let ps = pairs(10, .first, .second) + pairs(10, .second, .first) + pairs(4, .tie, .tie) + pairs(76, .first, .first)
        let r = measure(ps)
        XCTAssertLessThan(r.consistencyBeyondPosition!.value, JudgeReliability.Threshold.minimumBeyondPosition)
        XCTAssertEqual(r.status, .unreliable, r.summary)
    }

    func testAGoodJudgeWithTooFewPairsIsNotShownReliable() {
        let r = measure(pairs(3, .first, .second) + pairs(2, .second, .first) + pairs(2, .first, .first))
        XCTAssertEqual(r.status, .unreliable, r.summary)
        XCTAssert(r.summary.hasPrefix("unreliable: too few pairs (7) judged in both orders"), r.summary)
    }

    func testALengthBiasMakesAReadingJudgeBiased() {
        // Always picks the longer answer (A), whatever the order: consistent, but pure length.
        let ps = pairs(90, .first, .second) + pairs(10, .second, .first)
        let r = measure(ps)
        XCTAssertEqual(r.status, .biased)
        XCTAssertEqual(r.longerAnswerWins?.value, 0.9)
        XCTAssert(r.reasons.contains { $0.hasPrefix("the longer answer wins 90% of decisive verdicts") }, "\(r.reasons)")
    }

    func testNothingToJudgeByIsUnreliable() {
        XCTAssertEqual(measure([]).summary, "unreliable: no judge call returned a verdict")
        XCTAssertEqual(measure(pairs(10, .tie, .tie)).summary,
                       "unreliable: every verdict in both orders is a tie: the judge tells no answer from another")
        XCTAssert(measure(pairs(10, .first, nil)).summary.hasPrefix("unreliable: no pair was judged in both orders"))
        let mostlyUnparsed = measure(pairs(40, .first, .second) + pairs(40, .second, .first), unparsed: 400)
        XCTAssertEqual(mostlyUnparsed.status, .unreliable)
        XCTAssert(mostlyUnparsed.summary.hasPrefix("unreliable: 71% of the judge's replies held no verdict"), mostlyUnparsed.summary)
    }

    func testEncodesWithSnakeCaseKeys() throws {
        let json = String(decoding: try JSONEncoder().encode(measure(pairs(5, .first, .first))), as: UTF8.self)
        for key in ["\"status\":\"unreliable\"", "\"position_consistency\"", "\"consistency_beyond_position\"", "\"first_position\"",
                    "\"p_value\"", "\"chance_consistency\"", "\"longer_answer_wins\""] {
            XCTAssert(json.contains(key), "\(key) in \(json)")
        }
    }

    func testTextSaysTheStatusFirstThenTheFigures() {
        let text = measure(pairs(96, .first, .first), unparsed: 4).text()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssert(lines[0].hasPrefix("judge reliability: unreliable — its verdicts follow the answers' positions"), text)
        XCTAssert(lines.contains { $0.hasPrefix("  orders agree") && $0.contains("0% of 96 pairs") && $0.hasSuffix("position alone predicts 0%") }, text)
        XCTAssert(lines.contains { $0.hasPrefix("  first position wins   100% of 192 decisive verdicts") }, text)
        XCTAssert(lines.contains { $0 == "  unparsed / failed     4 / 0 of 196 calls (2% / 0%)" }, text)
    }
}
