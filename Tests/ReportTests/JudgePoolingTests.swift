import Foundation
import XCTest
import Rank
import Store
import StoreTestSupport
@testable import Report

/// Issue #14's pooling bug: a suite judged twice over the same pairs — first by a text judge whose
/// replies are all unparsed, then by a logprob judge of the same model name — must be rated on one
/// judge's comparisons only. Both runs record the same identical-output ties; pooled, those count twice.
/// (Before the fix: n = [9, 9, 8], and the logprob judge's health counted the text judge's 22 unparsed replies.)
final class JudgePoolingTests: XCTestCase {
    private var dir: URL!
    private var path: String { dir.appendingPathComponent("judge.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-pooling-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func build(_ judge: JudgeConfiguration) throws -> ReportData {
        let store = try JudgeStore(path: path)
        if try store.suiteNames().isEmpty { try TwoJudgeStore.fill(store) }
        var options = RatingOptions()
        options.bootstrapRounds = 20
        return try ReportBuilder(store: try JudgeStore(readingAt: path), options: options, sampleLimit: 4)
            .build(suites: ["pool"], judge: judge, title: "pool", asOf: "2026-12-06")
    }

    func testTwoJudgesOverTheSamePairsNeverMixInTheReport() throws {
        let data = try build(TwoJudgeStore.logprobs)
        // The logprob judge alone: 4 items × 3 pairs = 12 comparisons, 8 per model (the identical-output
        // tie on i0 counted once); the text judge resolved only its own tie.
        XCTAssertEqual(data.leaderboard.map(\.comparisons), [8, 8, 8], "one judge's comparisons, not both judges' pooled")
        XCTAssertEqual(data.leaderboard.first?.model, "ant", "the logprob judge prefers ant")
        let health = try XCTUnwrap(data.health)
        XCTAssertEqual(health.unparsed, 0, "the text judge's unparsed replies are not this judge's health")
        XCTAssertEqual(data.judge, TwoJudgeStore.logprobs)
        XCTAssertTrue(data.judgeDescription?.contains("pairwise-logprobs") == true, data.judgeDescription ?? "")
        XCTAssertTrue(data.samples.allSatisfy { !$0.reasoning.contains("I cannot tell") }, "samples of this judge only")
    }

    func testTheOtherJudgeIsRatedOnItsOwnComparisons() throws {
        let data = try build(TwoJudgeStore.text)
        XCTAssertEqual(data.leaderboard.map(\.comparisons), [1, 1], "its identical-output tie, once")
        XCTAssertEqual(data.health?.unparsed, 22)
    }
}
