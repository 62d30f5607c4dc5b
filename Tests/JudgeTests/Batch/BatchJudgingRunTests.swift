import ChatCompletions
import Foundation
import HTTP
import OpenAIWire
import XCTest
@testable import Judge
import Store
import Suite
import TestSupport

/// Judging through the Batch API against our loopback Batch API: completed, partial errors, expired,
/// cancelled, failed validation, a stray line, and a run interrupted mid-poll that resumes.
final class BatchJudgingRunTests: XCTestCase {
    private let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 4))
    private let price = JudgeSpec.Price(inputPerMillion: 2, outputPerMillion: 10, batchDiscount: 0.5)

    /// The sensible judge's verdict for a request body (the same rule as `ScriptedJudge.sensible`).
    private static let answer: @Sendable ([String: Any]) -> String = { body in
        let messages = (body["messages"] as? [[String: Any]] ?? []).map {
            ChatMessage(role: .init(rawValue: $0["role"] as? String ?? "user") ?? .user,
                                          content: $0["content"] as? String ?? "")
        }
        return "Comparing… " + ScriptedJudge.verdict(for: ChatCompletionRequest(model: "judge-1", messages: messages))
    }

    private func run(_ fixture: JudgeFixture, _ server: LoopbackBatchServer, maxCost: Double? = nil) -> BatchJudgingRun {
        let api = BatchAPIClient(baseURL: server.baseURL, apiKeyEnvironmentVariable: nil, http: http,
                                 retry: RetryPolicy(maxAttempts: 2, sleep: { _ in }))
        let options = JudgingRun.Options(judgeModel: "judge-1", price: price.batchPrice, maxCost: maxCost)
        return BatchJudgingRun(store: fixture.store, api: api, options: options, batch: .init(pollInterval: .milliseconds(5)))
    }

    private func start() throws -> LoopbackBatchServer {
        try LoopbackBatchServer.start(answer: Self.answer)
    }

    // MARK: - Completed: the same rows as direct calls, at the batch price

    func testCompletedBatchStoresWhatDirectCallsWouldUnderTheSameKeys() async throws {
        let server = try start()
        defer { server.stop() }
        let fixture = try JudgeFixture()
        let summary = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(summary.submitted, 1)
        XCTAssertEqual(summary.judging.sent, 16)
        XCTAssertEqual(summary.judging.parsed, 16)
        XCTAssertEqual(summary.judging.identical, 1)
        XCTAssertEqual(summary.collected.map(\.status), ["completed"])
        XCTAssertEqual(server.counts, .init(uploads: 1, creates: 1, polls: 2, downloads: 1, lines: 16))
        let batchCost: Double = 16 * (100.0 * 2 + 10.0 * 10) / 1e6 * 0.5   // 100 prompt, 10 completion tokens a line
        XCTAssertEqual(try XCTUnwrap(summary.judging.cost), batchCost, accuracy: 1e-12)
        // Each line is the request a direct call sends.
        let line = try XCTUnwrap(server.uploadedLines.first)
        XCTAssertEqual(line["method"] as? String, "POST")
        XCTAssertEqual(line["url"] as? String, "/v1/chat/completions")
        XCTAssertEqual((line["body"] as? [String: Any])?["model"] as? String, "judge-1")

        let direct = try JudgeFixture()
        _ = try await JudgingRun(store: direct.store, client: ScriptedJudge.sensible(), options: .init(judgeModel: "judge-1"))
            .run(try direct.plan())
        func verdicts(_ store: JudgeStore) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: try store.judgments(suite: "demo").map { ($0.key, $0.verdict?.rawValue ?? "-") })
        }
        XCTAssertEqual(try verdicts(fixture.store), try verdicts(direct.store))

        // Nothing left: a second run submits nothing.
        let again = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(again.submitted, 0)
        XCTAssertEqual(again.judging.reused, 17)
        XCTAssertEqual(server.counts.uploads, 1)
    }

    // MARK: - Failed lines stay retryable

    func testPartialErrorsAreStoredAsFailuresAndRetried() async throws {
        let server = try start()
        defer { server.stop() }
        server.endings = [.partialErrors(every: 4)]
        let fixture = try JudgeFixture()
        let first = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(first.judging.parsed, 12)
        XCTAssertEqual(first.judging.failed, 4)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 4)
        let failure = try XCTUnwrap(try fixture.store.judgments(suite: "demo").first { $0.error != nil })
        XCTAssertTrue(failure.error!.contains("HTTP 500"), failure.error!)

        let second = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(second.judging.parsed, 4)
        XCTAssertEqual(server.counts.lines, 16 + 4, "only the failed lines are sent again")
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 17)
    }

    func testExpiredBatchKeepsItsAnswersAndRetriesTheRest() async throws {
        let server = try start()
        defer { server.stop() }
        server.endings = [.expired(answered: 10)]
        let fixture = try JudgeFixture()
        let first = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(first.collected.map(\.status), ["expired"])
        XCTAssertEqual(first.judging.parsed, 10)
        XCTAssertEqual(first.judging.failed, 6)
        XCTAssertTrue(try fixture.store.judgments(suite: "demo").contains { $0.error?.contains("batch_expired") == true })
        _ = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(server.counts.lines, 16 + 6)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
    }

    func testCancelledBatchKeepsItsAnswersAndRetriesTheRest() async throws {
        let server = try start()
        defer { server.stop() }
        server.endings = [.cancelled(answered: 5)]
        let fixture = try JudgeFixture()
        let statuses = StatusLog()
        let first = try await run(fixture, server).run(try fixture.plan()) { statuses.add($0.status) }
        XCTAssertEqual(first.collected.map(\.status), ["cancelled"])
        XCTAssertTrue(statuses.all.contains("cancelling"), "\(statuses.all)")
        XCTAssertEqual(first.judging.parsed, 5)
        XCTAssertEqual(first.judging.failed, 11)
        _ = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(server.counts.lines, 16 + 11)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 17)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
    }

    func testBatchThatFailsValidationLeavesEveryCallPending() async throws {
        let server = try start()
        defer { server.stop() }
        server.endings = [.failed("Line 1: model 'judge-1' is not available for batch.")]
        let fixture = try JudgeFixture()
        let first = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(first.collected.map(\.status), ["failed"])
        XCTAssertEqual(first.judging.sent, 0)
        let stored = try XCTUnwrap(try fixture.store.batches().first)
        XCTAssertTrue(stored.errors?.contains("not available for batch") == true, stored.errors ?? "")
        XCTAssertNotNil(stored.collectedAt)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 1, "only the identical-output tie")
        let second = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(second.judging.parsed, 16)
    }

    // MARK: - A line that matches no request

    func testStrayLineIsRecordedAsAnErrorNeverAVerdict() async throws {
        let server = try start()
        defer { server.stop() }
        server.endings = [.completedWithStrayLine]
        let fixture = try JudgeFixture()
        let summary = try await run(fixture, server).run(try fixture.plan())
        XCTAssertEqual(summary.unmatchedLines, 1)
        XCTAssertEqual(summary.judging.parsed, 16)
        XCTAssertNil(try fixture.store.judgment(forKey: "no-such-request"))
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 17)
        let stored = try XCTUnwrap(try fixture.store.batches().first)
        XCTAssertTrue(stored.errors?.contains("custom_id \"no-such-request\" matches no request") == true, stored.errors ?? "")
        XCTAssertTrue(summary.description.contains("1 batch line(s) matched no request"))
    }

    // MARK: - Interrupted mid-poll: resumed, not resubmitted

    func testRunInterruptedMidPollResumesPollingInsteadOfSubmittingAgain() async throws {
        let server = try start()
        defer { server.stop() }
        server.pollsToFinish = 1_000_000
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let fixture = try JudgeFixture(store: try JudgeStore(path: path))
        let plan = try fixture.plan()

        let interrupted = Task { try await self.run(fixture, server).run(plan) }
        while server.counts.polls < 3 { try await Task.sleep(for: .milliseconds(5)) }
        interrupted.cancel()
        do {
            _ = try await interrupted.value
            XCTFail("the interrupted run should not finish")
        } catch is CancellationError {}
        let open = try fixture.store.openBatches(endpoint: server.baseURL.absoluteString, judgeModel: "judge-1")
        XCTAssertEqual(open.map(\.status), ["in_progress"])
        XCTAssertEqual(open.first?.keyList.count, 16)

        // A new process: the store reopened from the file.
        server.pollsToFinish = server.counts.polls + 2
        let reopened = try JudgeFixture(store: try JudgeStore(path: path))
        let resumed = try await run(reopened, server).run(plan)
        XCTAssertEqual(resumed.resumed, 1)
        XCTAssertEqual(resumed.submitted, 0)
        XCTAssertEqual(resumed.judging.parsed, 16)
        XCTAssertEqual(server.counts.uploads, 1)
        XCTAssertEqual(server.counts.creates, 1)
        XCTAssertEqual(try reopened.store.openBatches(endpoint: server.baseURL.absoluteString, judgeModel: "judge-1").count, 0)
    }

    // MARK: - --max-cost at the batch price

    func testMaxCostLimitsTheBatchAtTheBatchPrice() async throws {
        let server = try start()
        defer { server.stop() }
        let fixture = try JudgeFixture()
        let plan = try fixture.plan()
        let options = JudgingRun.Options(judgeModel: "judge-1", price: price.batchPrice)
        // Room for five calls at the batch price (about two and a half at the direct price).
        let estimates = plan.entries.filter { $0.messages != nil }.map {
            price.batchPrice.cost(promptTokens: $0.estimatedPromptTokens, completionTokens: options.assumedCompletionTokens(plan.format, judge: plan.judge))
        }
        let limit = estimates.prefix(5).reduce(0, +) + estimates[5] / 2
        let summary = try await run(fixture, server, maxCost: limit).run(plan)
        XCTAssertEqual(server.counts.lines, 5)
        XCTAssertEqual(summary.judging.notSent, 11)
        guard case .budget? = summary.judging.stopReason else { return XCTFail("\(String(describing: summary.judging.stopReason))") }
    }
}

private final class StatusLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String] = []
    func add(_ status: String) { lock.withLock { statuses.append(status) } }
    var all: [String] { lock.withLock { statuses } }
}
