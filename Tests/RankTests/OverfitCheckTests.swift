import XCTest
@testable import Rank

final class OverfitCheckTests: XCTestCase {
    let base: [String: Double] = ["m1": 1.2, "m2": 0.7, "m3": 0.2, "m4": -0.3, "m5": -0.8]

    func check(rounds: Int = 300) -> OverfitCheck {
        var o = RatingOptions()
        o.bootstrapRounds = rounds
        o.seed = 11
        return OverfitCheck(options: o)
    }

    func development(_ strengths: [String: Double]) -> [Comparison] {
        Simulation.battles(strengths, count: 1500, task: "dev-a", seed: 1)
            + Simulation.battles(strengths, count: 1500, task: "dev-b", seed: 2)
    }

    func testAConsistentRankingGeneralizes() throws {
        var strengths = base
        strengths["tuned"] = 1.6
        let report = try check().run(development: development(strengths),
                                     heldOut: Simulation.battles(strengths, count: 1500, task: "held", seed: 3))
        XCTAssertEqual(report.verdict.status, .generalizes, report.verdict.message)
        XCTAssertEqual(report.verdict.message, "generalizes")
        XCTAssertEqual(report.verdict.exitStatus, 0)
        XCTAssertEqual(report.heldOutTasks, ["held"])
        XCTAssertEqual(report.developmentTasks, ["dev-a", "dev-b"])
        XCTAssertGreaterThan(report.kendallTau.value, 0.7)
        XCTAssertLessThanOrEqual(report.kendallTau.ciLow, report.kendallTau.value)
        XCTAssertGreaterThanOrEqual(report.kendallTau.ciHigh, report.kendallTau.value)
        XCTAssertGreaterThan(report.spearmanRho.ciLow, 0.5)
        XCTAssertEqual(report.shifts.first?.model, "tuned")
        XCTAssertEqual(report.shifts.map(\.developmentRank), Array(1...6))
    }

    func testTheDevelopmentWinnerCollapsingOnAHeldOutTaskIsFlagged() throws {
        var dev = base, held = base
        dev["tuned"] = 1.8      // best on the tasks it was tuned on …
        held["tuned"] = -0.5    // … fourth of six on the held-out task
        let report = try check().run(development: development(dev),
                                     heldOut: Simulation.battles(held, count: 1500, task: "held", seed: 3))
        XCTAssertEqual(report.verdict.status, .overfitSuspected)
        XCTAssertEqual(report.verdict.exitStatus, 3)
        let shift = try XCTUnwrap(report.shifts.first { $0.model == "tuned" })
        XCTAssertEqual(shift.developmentRank, 1)
        XCTAssertEqual(shift.heldOutRank, 5)
        XCTAssertEqual(shift.shift, 4)
        XCTAssertLessThan(shift.ratingChange, -200)
        XCTAssert(report.verdict.message.hasPrefix("overfit suspected: tuned drops from #1 to #5 on held-out task held, outside its 95% interval ("),
                  report.verdict.message)
        XCTAssertEqual(report.verdict.findings.first?.task, "held")
    }

    func testPooledAndPerTaskHeldOutSets() throws {
        var dev = base, held = base
        dev["tuned"] = 1.8
        held["tuned"] = 0.0
        let heldOut = Simulation.battles(held, count: 1200, task: "h1", seed: 5)
            + Simulation.battles(held, count: 1200, task: "h2", seed: 6)
        let report = try check().run(development: development(dev), heldOut: heldOut)
        XCTAssertEqual(report.heldOutPerTask.map(\.task), ["h1", "h2"])
        XCTAssertNil(report.heldOut.task)
        XCTAssertEqual(report.verdict.status, .overfitSuspected)
        // Pooled: twice the data, so the pooled finding must be among them.
        XCTAssert(report.verdict.findings.contains { $0.task == nil && $0.message.contains("the held-out tasks (pooled)") },
                  "\(report.verdict.findings)")
    }

    func testAReversedRankingTripsTheTauRule() throws {
        // No single collapse of the winner is needed: the whole order flips.
        let reversed = base.mapValues { -$0 }
        let report = try check().run(development: development(base),
                                     heldOut: Simulation.battles(reversed, count: 1500, task: "held", seed: 4))
        XCTAssertLessThan(report.kendallTau.ciHigh, 0)
        XCTAssert(report.verdict.findings.contains { $0.message.contains("Kendall's tau") })
        XCTAssertEqual(report.verdict.exitStatus, 3)
    }

    func testReproducibleAndNeedsBothSides() throws {
        let d = development(base), h = Simulation.battles(base, count: 600, task: "held", seed: 9)
        XCTAssertEqual(try check(rounds: 50).run(development: d, heldOut: h),
                       try check(rounds: 50).run(development: d, heldOut: h))
        XCTAssertThrowsError(try check().run(development: d, heldOut: []))
        XCTAssertThrowsError(try check().run(development: [], heldOut: h))
    }
}
