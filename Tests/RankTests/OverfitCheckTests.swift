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
        XCTAssert(report.verdict.message.hasPrefix("generalizes: tuned leads the development tasks and stays in the held-out top group (clearly ahead of "),
                  report.verdict.message)
        XCTAssertEqual(report.verdict.exitStatus, 0)
        XCTAssertNil(report.verdict.moreComparisons)
        XCTAssertEqual(report.heldOutTasks, ["held"])
        XCTAssertEqual(report.developmentTasks, ["dev-a", "dev-b"])
        let tau = try XCTUnwrap(report.kendallTau), rho = try XCTUnwrap(report.spearmanRho)
        XCTAssertGreaterThan(tau.value, 0.7)
        XCTAssertLessThanOrEqual(tau.ciLow, tau.value)
        XCTAssertGreaterThanOrEqual(tau.ciHigh, tau.value)
        XCTAssertGreaterThan(rho.ciLow, 0.5)
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
        XCTAssertLessThan(try XCTUnwrap(report.kendallTau).ciHigh, 0)
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

    // MARK: - Inconclusive

    /// The demo's case: a judge whose verdicts are explained by position alone decides nothing.
    func testAnUnreliableJudgeMakesItInconclusive() throws {
        var strengths = base
        strengths["tuned"] = 1.6
        let judge = JudgeReliability(Array(repeating: OrderedVerdicts(aFirst: .first, bFirst: .first), count: 50),
                                     calls: JudgeCalls(calls: 100, unparsed: 0, failed: 0), bootstrapRounds: 50)
        let report = try check().run(development: development(strengths),
                                     heldOut: Simulation.battles(strengths, count: 1500, task: "held", seed: 3), judge: judge)
        XCTAssertEqual(report.verdict.status, .inconclusive)
        XCTAssertEqual(report.verdict.exitStatus, 5)
        XCTAssertNil(report.verdict.moreComparisons)
        XCTAssert(report.verdict.message.hasPrefix("inconclusive: the judge is unreliable, so neither ranking is evidence (its verdicts follow"),
                  report.verdict.message)
    }

    /// No difference between the models on held-out data: no proof of overfitting is not proof of generalizing.
    func testNoSignalIsInconclusiveNotGeneralizes() throws {
        let flat = base.mapValues { _ in 0.0 }
        let report = try check().run(development: development(base),
                                     heldOut: Simulation.battles(flat, count: 300, task: "held", seed: 8))
        XCTAssertEqual(report.verdict.status, .inconclusive, report.verdict.message)
        XCTAssertEqual(report.verdict.exitStatus, 5)
        XCTAssert(report.verdict.message.hasPrefix("inconclusive: the intervals are too wide to tell: Kendall's tau"), report.verdict.message)
    }

    /// A real but thinly measured held-out effect: inconclusive now, and the estimate says how much more decides it.
    func testTheEstimateOfMoreComparisonsIsBorneOut() throws {
        let dev = development(base), weak = base.mapValues { $0 * 0.4 }
        // The smallest of these held-out sets that leaves the answer open for want of data.
        var found: (count: Int, more: Int)?
        for count in [50, 70, 100, 140, 200] {
            let thin = try check().run(development: dev, heldOut: Simulation.battles(weak, count: count, task: "held", seed: 21))
            guard thin.verdict.status == .inconclusive, let more = thin.verdict.moreComparisons else { continue }
            XCTAssert(thin.verdict.message.contains("about \(more) more comparisons would likely decide it"), thin.verdict.message)
            found = (count, more)
            break
        }
        let (count, more) = try XCTUnwrap(found, "no held-out set left the answer open")
        // Twice the estimate (a rough guide) of held-out comparisons decides it.
        let fuller = try check().run(development: dev,
                                     heldOut: Simulation.battles(weak, count: count + 2 * more, task: "held", seed: 22))
        XCTAssertNotEqual(fuller.verdict.status, .inconclusive, fuller.verdict.message)
    }

    func testTwoModelsAreTooFewToShowItGeneralizes() throws {
        let two = ["a": 1.0, "b": -1.0]
        let report = try check().run(development: Simulation.battles(two, count: 400, task: "dev", seed: 1),
                                     heldOut: Simulation.battles(two, count: 400, task: "held", seed: 2))
        XCTAssertEqual(report.verdict.status, .inconclusive)
        XCTAssert(report.verdict.message.hasPrefix("inconclusive: only 2 models are rated on both the development and the held-out tasks"),
                  report.verdict.message)
    }

    func testTooFewComparisonsIsSaid() throws {
        let report = try check().run(development: development(base),
                                     heldOut: Simulation.battles(base, count: 12, task: "held", seed: 30))
        XCTAssertEqual(report.verdict.status, .inconclusive)
        XCTAssert(report.verdict.message.hasPrefix("inconclusive: too few comparisons: "), report.verdict.message)
    }

    /// One model (or none) on both sides: no order to compare, so inconclusive (exit 5) rather than an error,
    /// with no tau at all rather than a made-up one.
    func testOneCommonModelIsInconclusiveNotAnError() throws {
        let dev = Simulation.battles(["a": 1.0, "b": -1.0], count: 200, task: "dev", seed: 1)
        let held = Simulation.battles(["a": 0.5, "c": -0.5], count: 200, task: "held", seed: 2)
        let report = try check(rounds: 20).run(development: dev, heldOut: held)
        XCTAssertEqual(report.verdict.status, .inconclusive)
        XCTAssertEqual(report.verdict.exitStatus, 5)
        XCTAssertEqual(report.verdict.message, "inconclusive: only a is rated on both the development and the held-out tasks; "
            + "the check needs at least 3 to compare orders; rate more models on both sides")
        XCTAssertNil(report.kendallTau)
        XCTAssertNil(report.spearmanRho)
        XCTAssertEqual(report.shifts.map(\.model), ["a"])

        let disjoint = Simulation.battles(["c": 0.5, "d": -0.5], count: 200, task: "held", seed: 3)
        let none = try check(rounds: 20).run(development: dev, heldOut: disjoint)
        XCTAssert(none.verdict.message.hasPrefix("inconclusive: no model is rated on both"), none.verdict.message)
        XCTAssertEqual(none.shifts, [])
    }

    /// The JSON of a report carries the judge reliability the verdict weighed (`judge overfit --format json`).
    func testTheReportCarriesTheJudgeReliability() throws {
        let judge = JudgeReliability(Array(repeating: OrderedVerdicts(aFirst: .first, bFirst: .first), count: 50),
                                     calls: JudgeCalls(calls: 100, unparsed: 0, failed: 0), bootstrapRounds: 50)
        let d = development(base), h = Simulation.battles(base, count: 600, task: "held", seed: 9)
        let report = try check(rounds: 20).run(development: d, heldOut: h, judge: judge)
        XCTAssertEqual(report.judgeReliability, judge)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let json = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any]
        let encoded = try XCTUnwrap(json?["judge_reliability"] as? [String: Any])
        XCTAssertEqual(encoded["status"] as? String, "unreliable")
        XCTAssertNil(try check(rounds: 20).run(development: d, heldOut: h).judgeReliability)
    }
}
