import Rank
import Store
import StoreTestSupport
import XCTest
@testable import Comparisons

/// The comparison stage over rows saved through Store's API: the two-order rule, identical-output ties,
/// what does not resolve, health and samples — always of one judge configuration.
final class ComparisonTests: XCTestCase {
    var fixture: StoreFixture!
    var reader: ComparisonReader { ComparisonReader(store: fixture.store) }

    func comparisons(_ suite: String = "demo", task: String? = nil, judge: String = "judge-1") throws -> [ComparisonRecord] {
        try reader.comparisons(suite: suite, task: task, judge: StoreFixture.configuration(judge))
    }

    func health(task: String? = nil, judge: String = "judge-1") throws -> JudgeHealth {
        try reader.health(suites: ["demo"], task: task, judge: StoreFixture.configuration(judge))
    }

    func summarize(_ suite: String = "demo", task: String? = nil, judge: String = "judge-1", sampleLimit: Int = 20) throws -> ComparisonSummary {
        try reader.summary(suites: [suite], task: task, judge: StoreFixture.configuration(judge), sampleLimit: sampleLimit)
    }

    func samples(limit: Int) throws -> [ComparisonSample] {
        try reader.samples(suite: "demo", judge: StoreFixture.configuration(), limit: limit)
    }

    override func setUpWithError() throws {
        fixture = try StoreFixture()
        try fixture.importOutputs([
            "alpha": ["dev/d1": "hi", "dev/d2": "bye", "held/h1": "positive"],
            "beta": ["dev/d1": "hello there", "dev/d2": "bye", "held/h1": "it is positive"],
            "gamma": ["dev/d1": "yo"],
        ])
    }

    func save(_ records: JudgmentRecord...) throws { for r in records { try fixture.store.saveVerdict(r) } }

    // MARK: - Position bias: both orders combined

    func testAgreeingOrdersGiveTheirVerdict() throws {
        // ab: alpha shown first, says first better. ba: beta shown first, says second (alpha) better.
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
                 fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .bBetter))
        let comparisons = try comparisons()
        XCTAssertEqual(comparisons.count, 1)
        let c = comparisons[0]
        XCTAssertEqual([c.modelA, c.modelB], ["alpha", "beta"])
        XCTAssertEqual(c.outcome, .aBetter)
        XCTAssertEqual(c.winner, .modelA)
        XCTAssertEqual(c.ordersAgreed, true)
        XCTAssertEqual([c.lengthA, c.lengthB], [2, 11])
        XCTAssertEqual(c.task, "dev")
        XCTAssertFalse(c.heldOut)
        XCTAssertEqual(c.itemID, "d1")
    }

    func testDisagreeingOrdersGiveATie() throws {
        // Both times the first-shown answer wins: pure position bias.
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
                 fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .aBetter))
        let c = try XCTUnwrap(comparisons().first)
        XCTAssertEqual(c.outcome, .tie)
        XCTAssertEqual(c.ordersAgreed, false)
        XCTAssertEqual(c.scoreA, 0.5)
    }

    func testGradedStrengthNeedsBothOrders() throws {
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .bMuchBetter),
                 fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .aMuchBetter))
        try save(fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .bMuchBetter),
                 fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: .aBetter))
        let byItem = Dictionary(uniqueKeysWithValues: try comparisons().map { ($0.itemID, $0) })
        XCTAssertEqual(byItem["d1"]?.outcome, .bMuchBetter)
        XCTAssertEqual(byItem["h1"]?.outcome, .bBetter)
        XCTAssertEqual(byItem["h1"]?.heldOut, true)
    }

    func testLogprobVerdictsInBothOrdersAreDecidedByTheAveragedPreference() throws {
        // A judge that always favours the first-shown answer, but less so when the worse one comes first:
        // text rules would call both pairs ties; the averaged preference ranks them.
        func logprob(_ item: String, _ position: JudgmentRecord.Position, firstShown: Double) -> JudgmentRecord {
            var r = fixture.judgment(item, "alpha", "beta", position, verdict: firstShown > 0.5 ? .aBetter : .bBetter)
            r.verdictProbabilities = VerdictProbabilities(a: firstShown, b: 1 - firstShown, tie: 0, mass: 0.4, topCount: 20)
            return r
        }
        try save(logprob("dev/d1", .ab, firstShown: 0.80), logprob("dev/d1", .ba, firstShown: 0.76),   // alpha (0.80 + 0.24) / 2 = 0.52
                 logprob("dev/d2", .ab, firstShown: 0.70), logprob("dev/d2", .ba, firstShown: 0.90))   // alpha (0.70 + 0.10) / 2 = 0.40
        let byItem = Dictionary(uniqueKeysWithValues: try comparisons().map { ($0.itemID, $0) })
        XCTAssertEqual(byItem["d1"]?.outcome, .aBetter)
        XCTAssertEqual(byItem["d2"]?.outcome, .bBetter)
        XCTAssertEqual(byItem["d1"]?.ordersAgreed, false, "the per-order argmax verdicts still disagree (judge health)")
        let summary = try summarize()
        XCTAssertEqual(summary.groups.map(\.outcome).sorted { $0.rawValue < $1.rawValue }, [.aBetter, .bBetter].sorted { $0.rawValue < $1.rawValue })
        XCTAssertEqual(try health().orderDisagreements, 2)

        // Exactly even: a tie; a text verdict on one side: the text rules.
        XCTAssertEqual(Verdict.calibrated(ab: 0.7, ba: 0.7), .tie)
    }

    func testCombineRules() {
        XCTAssertEqual(Verdict.combine(.aBetter, .aMuchBetter).verdict, .aBetter)
        XCTAssertEqual(Verdict.combine(.tie, .tie).verdict, .tie)
        XCTAssertTrue(Verdict.combine(.tie, .tie).agreed)
        XCTAssertEqual(Verdict.combine(.tie, .bBetter).verdict, .tie)
        XCTAssertFalse(Verdict.combine(.tie, .bBetter).agreed)
        for v in Verdict.allCases { XCTAssertEqual(v.flipped.flipped, v); XCTAssertEqual(v.flipped.direction, -v.direction) }
    }

    // MARK: - What does not resolve

    func testAMissingOrUnparsedSecondOrderLeavesThePairUnresolved() throws {
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter))
        XCTAssertTrue(try comparisons().isEmpty, "half of a both-orders pair")
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: nil, unparsed: true))
        XCTAssertTrue(try comparisons().isEmpty, "unparsed is never a tie")
        let health = try health()
        XCTAssertEqual(health.unparsed, 1)
        XCTAssertEqual(health.unresolvedComparisons, 1)
        XCTAssertEqual(health.resolvedComparisons, 0)
    }

    func testSingleOrderPlanResolvesFromOneJudgment() throws {
        try save(fixture.judgment("dev/d1", "alpha", "gamma", .ba, verdict: .aBetter, planned: 1))
        let c = try XCTUnwrap(comparisons().first)
        XCTAssertEqual(c.outcome, .bBetter, "gamma was shown first and won")
        XCTAssertNil(c.ordersAgreed)
    }

    func testIdenticalOutputsAreATieWithoutACall() throws {
        var tie = fixture.judgment("dev/d2", "alpha", "beta", .ab, verdict: .tie, planned: 1, tokens: (0, 0), cost: 0)
        tie.method = .identical
        tie.rawReply = nil
        try save(tie)
        let c = try XCTUnwrap(comparisons().first)
        XCTAssertEqual(c.outcome, .tie)
        XCTAssertTrue(c.identicalOutputs)
        let health = try health()
        XCTAssertEqual(health.calls, 0)
        XCTAssertEqual(health.identicalOutputTies, 1)
    }

    func testJudgmentsOfASupersededOutputNoLongerCount() throws {
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
                 fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .bBetter))
        _ = try fixture.store.importCandidates([.init(model: "beta", itemID: fixture.itemID("dev/d1"), output: "a new answer")])
        XCTAssertTrue(try comparisons().isEmpty)
    }

    // MARK: - Filters, health and samples

    func testFiltersByTaskAndJudgeConfiguration() throws {
        try save(fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter, planned: 1),
                 fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .aBetter, planned: 1),
                 fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .bBetter, planned: 1, judge: "judge-2"))
        XCTAssertEqual(try comparisons().count, 2, "judge-1's only")
        XCTAssertEqual(try comparisons(task: "held").count, 1)
        XCTAssertEqual(try comparisons(task: "held", judge: "judge-2").map(\.outcome), [.bBetter])
        XCTAssertThrowsError(try comparisons("other"))
    }

    func testJudgeHealthAggregates() throws {
        try save(
            // d1 alpha(2 chars) vs beta(11 chars): orders agree, beta (longer) wins.
            fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .bBetter),
            fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .aBetter),
            // h1: the first position wins both times → disagreement, tie.
            fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .aBetter),
            fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: .aBetter),
            // d1 alpha vs gamma: one failure, one unparsed.
            fixture.judgment("dev/d1", "alpha", "gamma", .ab, verdict: nil, error: "HTTP 500", tokens: (0, 0), cost: 0),
            fixture.judgment("dev/d1", "alpha", "gamma", .ba, verdict: nil, unparsed: true))
        let health = try health()
        XCTAssertEqual(health.calls, 6)
        XCTAssertEqual(health.parsed, 4)
        XCTAssertEqual(health.failed, 1)
        XCTAssertEqual(health.unparsed, 1)
        XCTAssertEqual(health.firstPositionWins, 3)
        XCTAssertEqual(health.secondPositionWins, 1)
        XCTAssertEqual(health.firstPositionWinRate, 0.75)
        XCTAssertEqual(health.bothOrderComparisons, 2)
        XCTAssertEqual(health.orderDisagreements, 1)
        XCTAssertEqual(health.orderDisagreementRate, 0.5)
        XCTAssertEqual(health.decisiveWithLengthDifference, 1)
        XCTAssertEqual(health.longerAnswerWinRate, 1)
        XCTAssertEqual(health.resolvedComparisons, 2)
        XCTAssertEqual(health.unresolvedComparisons, 1)
        XCTAssertEqual(health.promptTokens, 500)
        XCTAssertEqual(health.completionTokens, 100)
        XCTAssertEqual(health.cost, 0.005, accuracy: 1e-12)
        XCTAssertEqual(health.meanLatency, 0.5)
    }

    func testSamplesCarryOutputsAndReasoning() throws {
        try save(fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: .aBetter),
                 fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .aBetter))
        let samples = try samples(limit: 1)
        XCTAssertEqual(samples.count, 1)
        XCTAssertEqual(samples[0].comparison.itemID, "h1")
        XCTAssertEqual(samples[0].comparison.ordersAgreed, false)
        XCTAssertEqual(samples[0].prompt, "Classify: great!")
        XCTAssertEqual(samples[0].outputA, "positive")
        XCTAssertEqual(samples[0].outputB, "it is positive")
        XCTAssertEqual(samples[0].judgments.map(\.position), [.ab, .ba])
        XCTAssertEqual(samples[0].judgments[0].rawReply, "reasoning… [[A>B]]")
    }

    /// Every task, and within it decisive verdicts, ties and order disagreements, take turns.
    func testSamplesAreAFairDeterministicMix() throws {
        try save(
            // dev: two decisive (d1 alpha–beta, d1 alpha–gamma), one tie (d2), one disagreement (d1 beta–gamma).
            fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
            fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .bBetter),
            fixture.judgment("dev/d1", "alpha", "gamma", .ab, verdict: .bBetter),
            fixture.judgment("dev/d1", "alpha", "gamma", .ba, verdict: .aBetter),
            fixture.judgment("dev/d2", "alpha", "beta", .ab, verdict: .tie),
            fixture.judgment("dev/d2", "alpha", "beta", .ba, verdict: .tie),
            fixture.judgment("dev/d1", "beta", "gamma", .ab, verdict: .aBetter),
            fixture.judgment("dev/d1", "beta", "gamma", .ba, verdict: .aBetter),
            // held: one decisive.
            fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .bBetter),
            fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: .aBetter))
        func kinds(_ samples: [ComparisonSample]) -> [String] {
            samples.map { s in
                let kind = s.comparison.ordersAgreed == false ? "disagree" : s.comparison.outcome.direction == 0 ? "tie" : "decisive"
                return "\(s.comparison.task)/\(kind)"
            }
        }
        // Four picks: one of each kind from dev, the decisive one from held — not the first four in item order.
        let four = try samples(limit: 4)
        XCTAssertEqual(kinds(four), ["dev/decisive", "dev/tie", "dev/disagree", "held/decisive"])
        XCTAssertEqual(try samples(limit: 4), four, "deterministic")
        let all = try samples(limit: 50)
        XCTAssertEqual(kinds(all), ["dev/decisive", "dev/decisive", "dev/tie", "dev/disagree", "held/decisive"])
        XCTAssertEqual(try samples(limit: 2).count, 2)
        XCTAssertEqual(try samples(limit: 0), [])
    }

    // MARK: - The one-pass summary

    func testSummaryCountsTheSameComparisonsAsTheRecords() throws {
        try save(
            fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
            fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .bBetter),
            fixture.judgment("dev/d2", "alpha", "beta", .ab, verdict: .aBetter),
            fixture.judgment("dev/d2", "alpha", "beta", .ba, verdict: .bBetter),
            fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .aMuchBetter),
            fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: .bMuchBetter),
            fixture.judgment("dev/d1", "alpha", "gamma", .ab, verdict: nil, unparsed: true),
            fixture.judgment("dev/d1", "alpha", "gamma", .ba, verdict: .aBetter),
            fixture.judgment("dev/d1", "beta", "gamma", .ab, verdict: .tie, judge: "judge-2"),
            fixture.judgment("dev/d1", "beta", "gamma", .ba, verdict: .tie, judge: "judge-2"))
        let summary = try summarize(sampleLimit: 3)
        XCTAssertEqual(summary.groups.map { "\($0.task) \($0.modelA)-\($0.modelB) \($0.outcome.rawValue) ×\($0.count)" }, [
            "dev alpha-beta A>B ×2",
            "held alpha-beta A>>B ×1",
        ], "judge-1's comparisons only")
        XCTAssertEqual(summary.judge, StoreFixture.configuration())
        XCTAssertEqual(summary.groups.last?.heldOut, true)
        XCTAssertEqual(summary.comparisonCount, try comparisons().count)
        XCTAssertEqual(summary.health, try health())
        XCTAssertEqual(summary.health.unresolvedComparisons, 1, "alpha–gamma: one order unparsed")
        XCTAssertEqual(summary.samples, try samples(limit: 3))
        XCTAssertEqual(try summarize(task: "held").groups.map(\.count), [1])
        XCTAssertEqual(try summarize(judge: "judge-2").groups.map(\.outcome), [.tie])
        XCTAssertThrowsError(try summarize("other"))
    }

    func testNewestJudgmentDate() throws {
        XCTAssertNil(try fixture.store.newestJudgment(suites: ["demo"]))
        var early = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter)
        early.createdAt = Date(timeIntervalSince1970: 1_700_000_000)
        var late = fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .bBetter)
        late.createdAt = Date(timeIntervalSince1970: 1_764_000_000)
        try save(late, early)
        XCTAssertEqual(try fixture.store.newestJudgment(suites: ["demo"])?.timeIntervalSince1970 ?? 0, 1_764_000_000, accuracy: 0.001)
        XCTAssertNil(try fixture.store.newestJudgment(suites: ["other"]))
        XCTAssertNil(try fixture.store.newestJudgment(suites: []))
    }

    // MARK: - Order by order, for the judge's reliability

    func testOrderedVerdictsGiveEachOrderOfOneConfiguration() throws {
        var tie = fixture.judgment("dev/d2", "alpha", "beta", .ab, verdict: .tie, planned: 1)
        tie.method = .identical
        try save(
            // d1 alpha–beta: the first-shown answer wins both times.
            fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter),
            fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .aBetter),
            // h1: one order unparsed.
            fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .bBetter),
            fixture.judgment("held/h1", "alpha", "beta", .ba, verdict: nil, unparsed: true),
            tie,
            fixture.judgment("dev/d1", "alpha", "gamma", .ab, verdict: .tie, judge: "judge-2"))
        let ordered = try reader.orderedVerdicts(suites: ["demo"], judge: StoreFixture.configuration())
        XCTAssertEqual(ordered, [
            OrderedVerdicts(aFirst: .first, bFirst: .first, lengthA: 2, lengthB: 11),
            OrderedVerdicts(aFirst: .second, bFirst: nil, lengthA: 8, lengthB: 14),
        ], "no identical-output tie, nothing of judge-2")
    }
}
