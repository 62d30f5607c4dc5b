import ChatCompletions
import Comparisons
import Foundation
@testable import Judge
import Store
import Suite
import XCTest

final class JudgingRunTests: XCTestCase {
    func options(concurrency: Int = 4, price: JudgeSpec.Price? = .init(inputPerMillion: 2, outputPerMillion: 10),
                 maxCost: Double? = nil, maxConsecutiveFailures: Int = 8) -> JudgingRun.Options {
        .init(judgeModel: "judge-1", concurrency: concurrency, price: price, maxCost: maxCost,
              maxConsecutiveFailures: maxConsecutiveFailures)
    }

    // MARK: - A whole run, then a repeat that sends nothing

    func testRunStoresEveryVerdictAndARepeatReusesThemAll() async throws {
        let fixture = try JudgeFixture()
        let plan = try fixture.plan()
        let judge = ScriptedJudge.sensible()
        let summary = try await JudgingRun(store: fixture.store, client: judge, options: options()).run(plan)
        XCTAssertEqual(summary.planned, 17)
        XCTAssertEqual(summary.identical, 1)
        XCTAssertEqual(summary.sent, 16)
        XCTAssertEqual(summary.parsed, 16)
        XCTAssertEqual(judge.requests.count, 16)
        XCTAssertEqual(summary.promptTokens, 16_000)
        XCTAssertEqual(summary.completionTokens, 1_600)
        XCTAssertEqual(summary.cost!, 16 * (1000 * 2 + 100 * 10) / 1e6, accuracy: 1e-12)
        XCTAssertNil(summary.stopReason)
        XCTAssertTrue(judge.requests.allSatisfy { $0.model == "judge-1" && $0.temperature == 0 && $0.maxTokens == 512 })

        let again = ScriptedJudge.sensible()
        let second = try await JudgingRun(store: fixture.store, client: again, options: options()).run(plan)
        XCTAssertEqual(again.requests.count, 0)
        XCTAssertEqual(second.reused, 17)
        XCTAssertEqual(second.sent, 0)

        // The sensible judge is consistent, so both orders agree and the right answers win.
        let comparisons = try fixture.comparisons()
        XCTAssertEqual(comparisons.count, 9)
        XCTAssertTrue(comparisons.allSatisfy { $0.ordersAgreed != false })
        let d1 = comparisons.filter { $0.itemID == "d1" }.map { "\($0.modelA)-\($0.modelB):\($0.outcome.rawValue)" }
        XCTAssertEqual(d1.sorted(), ["alpha-beta:A>B", "alpha-gamma:A>B", "beta-gamma:A=B"])
        let health = try fixture.health()
        XCTAssertEqual(health.calls, 16)
        XCTAssertEqual(health.identicalOutputTies, 1)
    }

    // MARK: - Crash and resume: every verdict exactly once

    func testAbandonedRunResumesAndStoresEveryVerdictExactlyOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let fixture = try JudgeFixture(store: try JudgeStore(path: path))
        let plan = try fixture.plan()
        let answered = 7, concurrency = 3
        let stuck = Gate(count: concurrency)
        // The first `answered` calls get a verdict; later ones hang until the run is abandoned.
        let first = ScriptedJudge { request, number in
            if number < answered { return ChatCompletion(content: ScriptedJudge.verdict(for: request)) }
            await stuck.arrive()
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
        let run = Task { try await JudgingRun(store: fixture.store, client: first, options: options(concurrency: concurrency)).run(plan) }
        await stuck.wait()      // every slot holds a hanging call: all answered verdicts are committed
        run.cancel()            // abandon the run with calls in flight
        let abandoned = try await run.value
        XCTAssertEqual(abandoned.parsed, answered)
        XCTAssertEqual(abandoned.stopReason, .cancelled)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, answered + 1, "answered + the identical tie")

        // A new process: a fresh store handle on the same file, a fresh judge.
        let reopened = try JudgeStore(path: path)
        let second = ScriptedJudge { request, _ in ChatCompletion(content: ScriptedJudge.verdict(for: request)) }
        let resumed = try await JudgingRun(store: reopened, client: second, options: options(concurrency: concurrency)).run(plan)
        XCTAssertEqual(resumed.reused, answered + 1)
        XCTAssertEqual(second.requests.count, 16 - answered, "only what had no stored judgment is sent")
        XCTAssertEqual(first.requests.count - answered, concurrency, "the calls in flight at the abandon were the only ones sent twice")
        let keys = try reopened.judgments(suite: "demo").map(\.key)
        XCTAssertEqual(keys.count, 17)
        XCTAssertEqual(Set(keys), Set(plan.entries.map(\.key)), "every planned verdict stored exactly once")
    }

    // MARK: - Unparsed, failures, fatal errors, budget

    func testUnparsedRepliesAreStoredCountedAndNeverTies() async throws {
        let fixture = try JudgeFixture()
        let judge = ScriptedJudge { request, number in
            ChatCompletion(content: number % 2 == 0 ? "I cannot decide." : ScriptedJudge.verdict(for: request),
                           usage: .init(promptTokens: 10, completionTokens: 5))
        }
        let summary = try await JudgingRun(store: fixture.store, client: judge, options: options(concurrency: 1)).run(try fixture.plan())
        XCTAssertEqual(summary.unparsed, 8)
        XCTAssertEqual(summary.parsed, 8)
        let health = try fixture.health()
        XCTAssertEqual(health.unparsed, 8)
        let unparsed = try fixture.store.judgments(suite: "demo").filter(\.unparsed)
        XCTAssertEqual(unparsed.count, 8)
        XCTAssertTrue(unparsed.allSatisfy { $0.rawReply == "I cannot decide." && $0.verdict == nil })
        // A repeat does not re-send unparsed replies: the judge answered, and its answer is kept.
        let again = ScriptedJudge.sensible()
        _ = try await JudgingRun(store: fixture.store, client: again, options: options()).run(try fixture.plan())
        XCTAssertEqual(again.requests.count, 0)
    }

    func testFatalErrorStopsSchedulingAndKeepsWhatWasJudged() async throws {
        let fixture = try JudgeFixture()
        let judge = ScriptedJudge { request, number in
            if number < 3 { return ChatCompletion(content: ScriptedJudge.verdict(for: request)) }
            throw ChatCompletionsError.rejected(status: 401, message: "Incorrect API key provided")
        }
        let summary = try await JudgingRun(store: fixture.store, client: judge, options: options(concurrency: 1)).run(try fixture.plan())
        XCTAssertEqual(judge.requests.count, 4, "nothing is scheduled after the 401")
        XCTAssertEqual(summary.parsed, 3)
        XCTAssertEqual(summary.notSent, 13)
        guard case .fatal(let message)? = summary.stopReason else { return XCTFail("\(String(describing: summary.stopReason))") }
        XCTAssertTrue(message.contains("HTTP 401"), message)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 4, "3 verdicts + the identical tie; the 401 is not a judgment")
    }

    func testPersistentFailuresStopTheRunAndAreRetriedNextTime() async throws {
        let fixture = try JudgeFixture()
        let judge = ScriptedJudge { _, _ in throw ChatCompletionsError.retriesExhausted(last: "HTTP 503") }
        let summary = try await JudgingRun(store: fixture.store, client: judge,
                                           options: options(concurrency: 1, maxConsecutiveFailures: 4)).run(try fixture.plan())
        XCTAssertEqual(summary.failed, 4)
        XCTAssertEqual(judge.requests.count, 4)
        guard case .failuresPersist(let count, _)? = summary.stopReason else { return XCTFail() }
        XCTAssertEqual(count, 4)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 4)
        XCTAssertEqual(try fixture.health().failed, 4)

        let healthy = ScriptedJudge.sensible()
        let retry = try await JudgingRun(store: fixture.store, client: healthy, options: options()).run(try fixture.plan())
        XCTAssertEqual(healthy.requests.count, 16, "failed judgments are sent again")
        XCTAssertEqual(retry.parsed, 16)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 17)
    }

    func testMaxCostStopsSchedulingBeforeTheLimit() async throws {
        let fixture = try JudgeFixture()
        let plan = try fixture.plan()
        let perCall = 1000 * 2e-6 + 100 * 10e-6   // $0.003 actual (usage from the judge)
        let judge = ScriptedJudge.sensible()
        let summary = try await JudgingRun(store: fixture.store, client: judge,
                                           options: options(concurrency: 1, maxCost: 5 * perCall + 1e-9)).run(plan)
        XCTAssertLessThanOrEqual(summary.cost!, 5 * perCall + 1e-9)
        XCTAssertGreaterThan(summary.sent, 0)
        XCTAssertLessThan(summary.sent, 16)
        guard case .budget? = summary.stopReason else { return XCTFail("\(String(describing: summary.stopReason))") }
        XCTAssertEqual(summary.sent + summary.notSent, 16)
    }

    func testMaxCostCountsEstimatesForRepliesWithoutUsage() async throws {
        let fixture = try JudgeFixture()
        let plan = try fixture.plan()
        let judge = ScriptedJudge { request, _ in ChatCompletion(content: ScriptedJudge.verdict(for: request)) }
        let estimate = plan.entries.compactMap { $0.messages == nil ? nil : $0 }.map {
            JudgeSpec.Price(inputPerMillion: 2, outputPerMillion: 10).cost(promptTokens: $0.estimatedPromptTokens, completionTokens: 300)
        }.max()!
        let summary = try await JudgingRun(store: fixture.store, client: judge,
                                           options: options(concurrency: 1, maxCost: 3.5 * estimate)).run(plan)
        XCTAssertEqual(summary.cost, 0, "nothing was billed")
        guard case .budget? = summary.stopReason else { return XCTFail("\(String(describing: summary.stopReason))") }
        XCTAssertGreaterThanOrEqual(summary.sent, 3)
        XCTAssertLessThan(summary.sent, 16)
    }

    // MARK: - Dry run

    func testEstimateCountsCallsAndCostWithoutCalling() async throws {
        let fixture = try JudgeFixture()
        let plan = try fixture.plan()
        let judge = ScriptedJudge.sensible()
        let run = JudgingRun(store: fixture.store, client: judge, options: options())
        let estimate = try run.estimate(plan)
        XCTAssertEqual(judge.requests.count, 0)
        XCTAssertEqual(estimate.calls, 16)
        XCTAssertEqual(estimate.identical, 1)
        XCTAssertEqual(estimate.reused, 0)
        let prompt = plan.entries.reduce(0) { $0 + $1.estimatedPromptTokens }
        XCTAssertEqual(estimate.promptTokens, prompt)
        XCTAssertEqual(estimate.completionTokens, 16 * 300)
        XCTAssertEqual(estimate.completionTokensMax, 16 * 512)
        XCTAssertEqual(estimate.cost!, (Double(prompt) * 2 + Double(16 * 300) * 10) / 1e6, accuracy: 1e-12)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 0, "a dry run stores nothing")

        _ = try await run.run(plan)
        XCTAssertEqual(try run.estimate(plan).calls, 0)
        XCTAssertEqual(try run.estimate(plan).reused, 17)
    }
}

/// Lets a test wait until `count` tasks have arrived.
actor Gate {
    private let count: Int
    private var arrived = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { self.count = count }

    func arrive() {
        arrived += 1
        if arrived >= count { waiters.forEach { $0.resume() }; waiters = [] }
    }

    func wait() async {
        if arrived >= count { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
