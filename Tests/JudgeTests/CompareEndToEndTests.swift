import ChatCompletions
import Comparisons
import Foundation
import HTTP
@testable import Judge
import OpenAIWire
import Store
import Suite
import TestSupport
import XCTest

/// The judging run with the real libcurl client against the loopback chat-completions server.
final class CompareEndToEndTests: XCTestCase {
    var server: LoopbackChatServer!
    let secret = "sk-test-never-stored-7f3a"

    override func setUpWithError() throws {
        server = try LoopbackChatServer.start(responder: Self.sensibleResponder)
    }

    override func tearDown() { server.stop() }

    /// Answers like ``ScriptedJudge/sensible()``, reading the rendered prompt from the request body.
    static let sensibleResponder: @Sendable (RecordedRequest) -> LoopbackChatServer.Behavior = { recorded in
        struct Body: Decodable { var model: String; var messages: [ChatMessage] }
        guard let body = try? JSONDecoder().decode(Body.self, from: recorded.body) else {
            return .error(400, message: "bad body")
        }
        let request = ChatCompletionRequest(model: body.model, messages: body.messages)
        return .reply("Weighing both… " + ScriptedJudge.verdict(for: request))
    }

    /// The real client, retrying without real waits (the recorded waits are checked instead).
    func client(sleeps: SleepLog = SleepLog()) -> ChatCompletionsClient {
        ChatCompletionsClient(
            baseURL: server.baseURL, apiKeyEnvironmentVariable: "JUDGE_TEST_KEY",
            http: HTTPClient(configuration: .init(maxConcurrentTransfers: 4)),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), sleep: { await sleeps.record($0) }),
            environment: ["JUDGE_TEST_KEY": secret])
    }

    func run(_ fixture: JudgeFixture, client: ChatCompletionsClient, concurrency: Int = 4) async throws -> JudgingSummary {
        let options = JudgingRun.Options(judgeModel: "judge-1", concurrency: concurrency,
                                          price: .init(inputPerMillion: 1, outputPerMillion: 2))
        return try await JudgingRun(store: fixture.store, client: client, options: options).run(try fixture.plan())
    }

    func testRateLimitedThenSuccessJudgesEverythingAndNeverStoresTheKey() async throws {
        let fixture = try JudgeFixture()
        server.enqueue(.rateLimited(retryAfter: "1"))
        let sleeps = SleepLog()
        let summary = try await run(fixture, client: client(sleeps: sleeps), concurrency: 1)
        XCTAssertNil(summary.stopReason)
        XCTAssertEqual(summary.parsed, 16)
        XCTAssertEqual(summary.failed, 0)
        XCTAssertEqual(server.requests.count, 17, "16 calls + 1 retried after the 429")
        let waits = await sleeps.waits
        XCTAssertEqual(waits, [.seconds(1)], "Retry-After honoured")
        XCTAssertTrue(server.requests.allSatisfy { $0.header("Authorization") == "Bearer \(secret)" })
        // Usage from the server (42 prompt, 7 completion tokens a call) is stored and priced.
        XCTAssertEqual(summary.promptTokens, 16 * 42)
        XCTAssertEqual(summary.cost!, 16 * (42 * 1 + 7 * 2) / 1e6, accuracy: 1e-12)
        XCTAssertEqual(try fixture.comparisons().count, 9)

        let everything = try fixture.store.judgments(suite: "demo").map { "\($0)" }
        XCTAssertFalse(everything.joined().contains(secret), "the API key never reaches the store")
    }

    func testUnauthorizedStopsAtOnceWithTheServersMessage() async throws {
        let fixture = try JudgeFixture()
        server.responder = { _ in .error(401, message: "Incorrect API key provided") }
        let summary = try await run(fixture, client: client(), concurrency: 2)
        guard case .fatal(let message)? = summary.stopReason else { return XCTFail("\(String(describing: summary.stopReason))") }
        XCTAssertTrue(message.contains("401") && message.contains("Incorrect API key provided"), message)
        XCTAssertLessThanOrEqual(server.requests.count, 2, "no call is scheduled after the 401; only those in flight went out")
        XCTAssertEqual(summary.parsed, 0)
        XCTAssertEqual(try fixture.store.judgmentCounts().total, 1, "only the identical-output tie")
        XCTAssertFalse(summary.description.contains(secret))
    }

    func testGarbageRepliesAreUnparsedAndCounted() async throws {
        let fixture = try JudgeFixture()
        let calls = Counter()
        server.responder = { recorded in
            calls.next() % 4 == 0 ? .reply("Both have merits; it depends on taste.") : Self.sensibleResponder(recorded)
        }
        let summary = try await run(fixture, client: client(), concurrency: 1)
        XCTAssertEqual(summary.unparsed, 4)
        XCTAssertEqual(summary.parsed, 12)
        let health = try fixture.health()
        XCTAssertEqual(health.unparsed, 4)
        XCTAssertEqual(health.parsed, 12)
        XCTAssertGreaterThan(health.unresolvedComparisons, 0, "a pair with an unparsed order is not resolved, not a tie")
        XCTAssertTrue(summary.description.contains("4 unparsed"), summary.description)
    }

    func testCallsAreInFlightTogetherUpToTheConcurrency() async throws {
        let fixture = try JudgeFixture()
        server.responder = { recorded in .delayed(.milliseconds(200), then: Self.sensibleResponder(recorded)) }
        let summary = try await run(fixture, client: client(), concurrency: 4)
        XCTAssertEqual(summary.parsed, 16)
        XCTAssertGreaterThan(server.peakInFlight, 1, "calls overlap")
        XCTAssertLessThanOrEqual(server.peakInFlight, 4, "never more than --concurrency")
    }

    func testMalformedJSONIsARecordedFailureAndTheRunGoesOn() async throws {
        let fixture = try JudgeFixture()
        server.enqueue(.malformedJSON)
        let summary = try await run(fixture, client: client(), concurrency: 1)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.parsed, 15)
        XCTAssertNil(summary.stopReason)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 1)
        // The next run retries just the failed one.
        let retry = try await run(fixture, client: client(), concurrency: 1)
        XCTAssertEqual(retry.sent, 1)
        XCTAssertEqual(retry.parsed, 1)
        XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
    }
}

/// Records the retry waits instead of sleeping.
actor SleepLog {
    private(set) var waits: [Duration] = []
    func record(_ duration: Duration) { waits.append(duration) }
}

/// A thread-safe call counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
