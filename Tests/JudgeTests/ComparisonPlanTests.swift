import XCTest
@testable import Judge
import Store
import Suite

final class ComparisonPlanTests: XCTestCase {
    func testAllPairsBothOrdersAndIdenticalOutputsWithoutACall() throws {
        let plan = try JudgeFixture().plan()
        // 3 items × 3 pairs × 2 orders, less one order for alpha/gamma on d2 (identical "4").
        XCTAssertEqual(plan.entries.count, 17)
        XCTAssertEqual(plan.entries.filter { $0.messages == nil }.count, 1)
        XCTAssertEqual(Set(plan.entries.map(\.key)).count, 17, "keys are distinct")
        let identical = try XCTUnwrap(plan.entries.first { $0.messages == nil })
        XCTAssertEqual(identical.record.method, .identical)
        XCTAssertEqual(identical.record.verdict, .tie)
        XCTAssertEqual(identical.record.ordersPlanned, 1)
        XCTAssertTrue(plan.missingOutputs.isEmpty)
    }

    func testOrdersSwapTheAnswersAndPairsAreCanonical() throws {
        let plan = try JudgeFixture().plan()
        let d1 = plan.entries.filter { $0.messages?.last?.content.contains("Capital of France") == true }
        let alphaBeta = d1.filter { $0.messages!.last!.content.contains("Paris.") && $0.messages!.last!.content.contains("largest city") }
        XCTAssertEqual(alphaBeta.map(\.record.position), [.ab, .ba])
        let ab = alphaBeta[0].messages!.last!.content, ba = alphaBeta[1].messages!.last!.content
        XCTAssertLessThan(ab.range(of: "Paris.")!.lowerBound, ab.range(of: "largest city")!.lowerBound, "ab: alpha first")
        XCTAssertGreaterThan(ba.range(of: "Paris.")!.lowerBound, ba.range(of: "largest city")!.lowerBound, "ba: beta first")
        XCTAssertTrue(alphaBeta.allSatisfy { $0.record.ordersPlanned == 2 })
    }

    func testKeysAreStableAndDependOnJudgeAndTemplate() throws {
        let fixture = try JudgeFixture()
        XCTAssertEqual(try fixture.plan().entries.map(\.key), try fixture.plan().entries.map(\.key))
        let other = Set(try fixture.plan(judgeModel: "judge-2").entries.map(\.key))
        XCTAssertTrue(other.isDisjoint(with: try fixture.plan().entries.map(\.key)))
        let graded = Set(try fixture.plan(template: .pairwiseGraded).entries.map(\.key))
        XCTAssertTrue(graded.isDisjoint(with: try fixture.plan().entries.map(\.key)))
    }

    /// Issue #14: the judge's temperature and max_tokens are part of the configuration and of every key —
    /// identical-output ties included — so a changed setting never reuses verdicts made under the old one.
    func testKeysAndRecordsCarryTheJudgesSamplingSettings() throws {
        let fixture = try JudgeFixture()
        let base = try fixture.plan()
        XCTAssertEqual(base.judge, JudgeConfiguration(judgeModel: "judge-1", templateID: "pairwise", templateVersion: "v1",
                                                      temperature: 0, maxTokens: 512))
        XCTAssertTrue(base.entries.allSatisfy { $0.record.configuration == base.judge })
        for other in [try fixture.plan(temperature: 0.7), try fixture.plan(maxTokens: 256)] {
            XCTAssertTrue(Set(other.entries.map(\.key)).isDisjoint(with: base.entries.map(\.key)), "\(other.judge)")
            XCTAssertTrue(other.entries.contains { $0.messages == nil }, "the fixture has identical outputs")
        }
        // A logprob verdict is one token whatever max_tokens says: its keys and configuration do not move.
        let logprobs = try fixture.plan(template: .pairwiseLogprobs, maxTokens: 512)
        XCTAssertEqual(logprobs.judge.maxTokens, 1)
        XCTAssertEqual(logprobs.entries.map(\.key), try fixture.plan(template: .pairwiseLogprobs, maxTokens: 64).entries.map(\.key))
    }

    func testSampleChoosesNPairsPerItemDeterministically() throws {
        let fixture = try JudgeFixture(suite: JudgeFixture.suite(bothOrders: false))
        let first = try fixture.plan(pairs: .sample(1))
        XCTAssertEqual(first.entries.count, 3, "one pair, one order, per item")
        XCTAssertEqual(first.entries.map(\.key), try fixture.plan(pairs: .sample(1)).entries.map(\.key))
        XCTAssertEqual(try fixture.plan(pairs: .sample(5)).entries.count, 9, "N above the pair count means all")
        XCTAssertEqual(PairSelection(argument: "sample:3"), .sample(3))
        XCTAssertEqual(PairSelection(argument: "all"), .all)
        XCTAssertNil(PairSelection(argument: "sample:0"))
        XCTAssertNil(PairSelection(argument: "some"))
    }

    func testSingleOrderAlternatesWhichModelGoesFirst() throws {
        let plan = try JudgeFixture(suite: JudgeFixture.suite(bothOrders: false)).plan()
        XCTAssertTrue(plan.entries.allSatisfy { $0.record.ordersPlanned == 1 })
        let positions = plan.entries.filter { $0.messages != nil }.map(\.record.position)
        XCTAssertTrue(positions.contains(.ab) && positions.contains(.ba), "\(positions)")
    }

    func testMissingOutputsAreReportedNotHidden() throws {
        var outputs = JudgeFixture.outputs
        outputs["gamma"] = ["dev/d1": "Lyon"]
        outputs["beta"] = ["dev/d1": "Paris, France"]
        let plan = try JudgeFixture(outputs: outputs).plan()
        XCTAssertEqual(plan.missingOutputs.map(\.description).sorted(), [
            "beta has no output for 1 item(s) of task dev", "beta has no output for 1 item(s) of task held",
            "gamma has no output for 1 item(s) of task dev", "gamma has no output for 1 item(s) of task held",
        ])
        XCTAssertEqual(plan.itemsWithoutPairs, 2, "d2 and h1 have only alpha's output")
        XCTAssertEqual(plan.entries.count, 6, "d1: 3 pairs × 2 orders")
    }

    func testReferenceTemplateNeedsReferences() throws {
        let fixture = try JudgeFixture(suite: JudgeFixture.suite(references: false))
        XCTAssertThrowsError(try fixture.plan(template: .pairwiseReference)) { error in
            XCTAssertTrue("\(error)".contains("3 item(s) have none (first: dev/d1)"), "\(error)")
        }
        XCTAssertTrue(try JudgeFixture().plan(template: .pairwiseReference).entries.first!.messages![1].content.contains("Paris"))
    }

    func testTokenEstimate() {
        XCTAssertEqual(TokenEstimate.promptTokens([.user(String(repeating: "x", count: 400))]), 3 + 4 + 100)
    }
}
