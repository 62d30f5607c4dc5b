import ChatCompletions
import Comparisons
import Foundation
import HTTP
@testable import Judge
import Store
import Suite
import TestSupport
import XCTest

/// The logprob verdict mode end to end: the real libcurl client against the loopback server, which answers
/// with OpenAI-shaped `logprobs` (or leaves them out), and the store that keeps the probabilities.
final class LogprobJudgingTests: XCTestCase {
    var server: LoopbackChatServer!

    override func setUpWithError() throws {
        server = try LoopbackChatServer.start()
    }

    override func tearDown() { server.stop() }

    private func run(_ fixture: JudgeFixture, concurrency: Int = 2) async throws -> JudgingSummary {
        let client = ChatCompletionsClient(
            baseURL: server.baseURL, apiKeyEnvironmentVariable: nil, http: HTTPClient(configuration: .init(maxConcurrentTransfers: 4)),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), sleep: { _ in }))
        let options = JudgingRun.Options(judgeModel: "judge-1", concurrency: concurrency)
        return try await JudgingRun(store: fixture.store, client: client, options: options)
            .run(try fixture.plan(template: .pairwiseLogprobs))
    }

    // MARK: - A judge that gives probabilities

    /// The two answers as rendered by `pairwise-logprobs`.
    static func answers(_ recorded: RecordedRequest) -> (a: String, b: String)? {
        guard let messages = recorded.jsonObject?["messages"] as? [[String: Any]],
              let user = messages.last?["content"] as? String,
              let a = user.range(of: "Answer A:\n"), let b = user.range(of: "\n\nAnswer B:\n"),
              let end = user.range(of: "\n\nWhich answer is better?") else { return nil }
        return (String(user[a.upperBound..<b.lowerBound]), String(user[b.upperBound..<end.lowerBound]))
    }

    static func good(_ text: String) -> Bool { ["Paris.", "4", "positive"].contains(text) }

    /// A one-token reply: `sampled` with the alternatives `top` (token, probability), in OpenAI's shape.
    static func oneToken(_ sampled: String, _ top: [(String, Double)]) -> LoopbackChatServer.Behavior {
        let alternatives = top.map { LoopbackChatServer.Reply.Token.Alternative(token: $0.0, logprob: log($0.1)) }
        let logprob = top.first { $0.0 == sampled }.map { log($0.1) } ?? -5
        return .completion(.init(content: sampled, finishReason: "length", completionTokens: 1,
                                 logprobs: [.init(token: sampled, logprob: logprob, topLogprobs: alternatives)]))
    }

    /// Prefers the good answer with variants spread over " A"/"A"/"a"; 50/50 (a tie) when both or neither are good.
    static let sensible: @Sendable (RecordedRequest) -> LoopbackChatServer.Behavior = { recorded in
        guard let (a, b) = answers(recorded) else { return .error(400, message: "not a pairwise-logprobs prompt") }
        switch (good(a), good(b)) {
        case (true, false): return oneToken("A", [("A", 0.5), (" A", 0.2), ("B", 0.15), ("a", 0.05), ("The", 0.05)])
        case (false, true): return oneToken(" B", [(" B", 0.45), ("B", 0.25), ("A", 0.2), ("Answer", 0.05)])
        default: return oneToken("tie", [("tie", 0.4), ("A", 0.2), ("B", 0.2), (" Tie", 0.1)])
        }
    }

    func testProbabilitiesDecideVerdictsAndAreStoredWithEachJudgment() async throws {
        let fixture = try JudgeFixture()
        server.responder = Self.sensible
        let summary = try await run(fixture)
        XCTAssertNil(summary.stopReason)
        XCTAssertEqual(summary.sent, 16)
        XCTAssertEqual(summary.parsed, 16)
        XCTAssertEqual(summary.unparsed, 0)

        // Every request asked for one token with its top 20 alternatives, greedy.
        for request in server.requests {
            let body = try XCTUnwrap(request.jsonObject)
            XCTAssertEqual(body["logprobs"] as? Bool, true)
            XCTAssertEqual(body["top_logprobs"] as? Int, 20)
            XCTAssertEqual(body["max_tokens"] as? Int, 1)
            XCTAssertEqual(body["temperature"] as? Double, 0)
            XCTAssertTrue(request.bodyText.contains("Which answer is better? Reply with A, B or tie."))
        }

        let judgments = try fixture.store.judgments(suite: "demo").filter { $0.method == .judge }
        XCTAssertEqual(judgments.count, 16)
        for judgment in judgments {
            let p = try XCTUnwrap(judgment.verdictProbabilities, "probabilities stored with \(judgment.key)")
            XCTAssertTrue(p.isWellFormed, "\(p)")
            XCTAssertEqual(p.topCount, judgment.rawReply == "tie" ? 4 : judgment.rawReply == " B" ? 4 : 5)
            XCTAssertEqual(judgment.preference!, p.preferenceA, accuracy: 1e-12)
            XCTAssertEqual(judgment.templateID, "pairwise-logprobs")
            XCTAssertEqual(judgment.templateVersion, "logprobs-v1")
            XCTAssertEqual(judgment.completionTokens, 1)
        }
        // A first: (0.5 + 0.2 + 0.05) / 0.9 for A; shown second, " B" + "B" = 0.7 of 0.9.
        let alphaOverGamma = judgments.filter { $0.rawReply == "A" }.compactMap(\.verdictProbabilities)
        XCTAssertFalse(alphaOverGamma.isEmpty)
        for p in alphaOverGamma { XCTAssertEqual(p.a, 0.75 / 0.9, accuracy: 1e-9); XCTAssertEqual(p.mass, 0.9, accuracy: 1e-9) }

        // The verdicts are sensible in canonical terms, and both orders agree.
        let comparisons = try fixture.comparisons(fixture.judge(template: .pairwiseLogprobs))
        XCTAssertEqual(comparisons.count, 9)
        XCTAssertTrue(comparisons.allSatisfy { $0.ordersAgreed != false })
        let d1 = comparisons.filter { $0.itemID == "d1" }.map { "\($0.modelA)-\($0.modelB):\($0.outcome.rawValue)" }
        XCTAssertEqual(d1.sorted(), ["alpha-beta:A>B", "alpha-gamma:A>B", "beta-gamma:A=B"])
        // The canonical preference says the same from either order.
        for judgment in judgments where judgment.verdict != .tie {
            let canonical = try XCTUnwrap(judgment.canonicalPreference)
            XCTAssertEqual(canonical > 0.5, judgment.canonicalVerdict == .aBetter)
        }
    }

    func testKeysOfLogprobAndTextVerdictsNeverMix() throws {
        let fixture = try JudgeFixture()
        let text = Set(try fixture.plan(template: .pairwise).entries.map(\.key))
        let logprobs = Set(try fixture.plan(template: .pairwiseLogprobs).entries.map(\.key))
        XCTAssertEqual(logprobs.count, 17)
        XCTAssertTrue(text.isDisjoint(with: logprobs))
        // The same prompt text under another mode still gets other keys.
        var retagged = JudgeTemplate.pairwiseLogprobs
        retagged.format = .pairwise
        retagged.version = "logprobs-v1"
        let sameTextOtherMode = Set(try fixture.plan(template: retagged).entries.map(\.key))
        XCTAssertTrue(sameTextOtherMode.isDisjoint(with: logprobs.subtracting(
            try fixture.plan(template: .pairwiseLogprobs).entries.filter { $0.messages == nil }.map(\.key))))
    }

    func testARepeatedRunReusesEveryLogprobVerdict() async throws {
        let fixture = try JudgeFixture()
        server.responder = Self.sensible
        _ = try await run(fixture)
        let again = try await run(fixture)
        XCTAssertEqual(again.sent, 0)
        XCTAssertEqual(again.reused, 17)
        XCTAssertEqual(server.requests.count, 16)
    }

    // MARK: - Replies without a usable verdict: unparsed, with the reason, never dropped

    func testRepliesWithoutLogprobsAreStoredUnparsedWithTheReason() async throws {
        let fixture = try JudgeFixture()
        server.responder = { _ in .reply("A") }  // a server that ignores logprobs
        let summary = try await run(fixture)
        XCTAssertEqual(summary.unparsed, 16)
        XCTAssertEqual(summary.parsed, 0)
        let stored = try fixture.store.judgments(suite: "demo").filter { $0.method == .judge }
        XCTAssertEqual(stored.count, 16)
        for judgment in stored {
            XCTAssertTrue(judgment.unparsed)
            XCTAssertNil(judgment.verdict)
            XCTAssertNil(judgment.verdictProbabilities)
            XCTAssertNil(judgment.preference)
            XCTAssertEqual(judgment.rawReply, "A")
            XCTAssertTrue(judgment.unparsedReason?.contains("no logprobs") == true, judgment.unparsedReason ?? "nil")
        }
        XCTAssertEqual(try fixture.health(fixture.judge(template: .pairwiseLogprobs)).unparsed, 16)
    }

    func testAVerdictTokenMissingFromTheTopIsUnparsedAndTheRestAreJudged() async throws {
        let fixture = try JudgeFixture()
        let calls = Counter()
        server.responder = { recorded in
            calls.next() == 3 ? Self.oneToken("The", [("The", 0.8), ("Both", 0.1), ("I", 0.05)]) : Self.sensible(recorded)
        }
        let summary = try await run(fixture, concurrency: 1)
        XCTAssertEqual(summary.unparsed, 1)
        XCTAssertEqual(summary.parsed, 15)
        let unparsed = try XCTUnwrap(try fixture.store.judgments(suite: "demo").first { $0.unparsed })
        XCTAssertEqual(unparsed.rawReply, "The")
        let reason = try XCTUnwrap(unparsed.unparsedReason)
        XCTAssertTrue(reason.contains("no verdict token") && reason.contains("\"The\" 0.800"), reason)
        XCTAssertEqual(try fixture.health(fixture.judge(template: .pairwiseLogprobs)).unresolvedComparisons, 1, "that pair stays unresolved, not a tie")
    }

    func testAPositionBiasedJudgeIsDecidedByItsPreferencesAveragedOverBothOrders() async throws {
        // Always leans towards the first answer (0.6 + a nudge for the good one): each order alone says
        // "A" and the two orders disagree, but averaged over both orders the bias cancels and the nudge
        // decides (balanced position calibration); equal answers average to exactly even, a tie.
        let fixture = try JudgeFixture()
        server.responder = { recorded in
            guard let (a, b) = Self.answers(recorded) else { return .error(400, message: "bad prompt") }
            let nudge = Self.good(a) && !Self.good(b) ? 0.1 : !Self.good(a) && Self.good(b) ? -0.1 : 0
            return Self.oneToken("A", [("A", 0.6 + nudge), ("B", 0.35 - nudge)])
        }
        let summary = try await run(fixture)
        XCTAssertEqual(summary.parsed, 16)
        let judgments = try fixture.store.judgments(suite: "demo")
        let comparisons = try fixture.comparisons(fixture.judge(template: .pairwiseLogprobs)).filter { !$0.identicalOutputs }
        XCTAssertFalse(comparisons.isEmpty)
        var decided = 0
        for c in comparisons {
            XCTAssertEqual(c.ordersAgreed, false, "each order alone favours the first answer")
            let item = fixture.ids.items[c.task]![c.itemID]!
            let a = fixture.ids.models[c.modelA]!, b = fixture.ids.models[c.modelB]!
            let pair = judgments.filter { $0.itemID == item && $0.modelAID == a && $0.modelBID == b }
            XCTAssertEqual(pair.count, 2)
            let mean = pair.map { $0.canonicalPreference! }.reduce(0, +) / 2
            let expected: Verdict = mean > 0.5 ? .aBetter : mean < 0.5 ? .bBetter : .tie
            XCTAssertEqual(c.outcome, expected, "\(c.modelA) vs \(c.modelB) on \(c.itemID): mean preference \(mean)")
            if expected != .tie { decided += 1 }
        }
        XCTAssertGreaterThan(decided, 0, "some pairs have a good and a bad answer")
        // alpha (good) vs gamma on d1: P(alpha better) averaged over both orders > 0.5, so alpha wins.
        let d1 = try XCTUnwrap(comparisons.first { $0.itemID == "d1" && $0.modelA == "alpha" && $0.modelB == "gamma" })
        XCTAssertEqual(d1.outcome, .aBetter)
    }

    // MARK: - A prompt too long for the judge

    func testAPromptTooLongIsAFailureOfThatComparisonOnly() async throws {
        let fixture = try JudgeFixture()
        let calls = Counter()
        let overflow = #"{"error":{"message":"This model's maximum context length is 2048 tokens. However, your messages resulted in 2100 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
        server.responder = { recorded in
            calls.next() < 2 ? .raw(status: 400, body: overflow) : Self.sensible(recorded)
        }
        let summary = try await run(fixture, concurrency: 1)
        XCTAssertNil(summary.stopReason, "a 400 for one prompt's length does not stop the run")
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(summary.parsed, 14)
        let failed = try fixture.store.judgments(suite: "demo").filter { $0.error != nil }
        XCTAssertEqual(failed.count, 2)
        XCTAssertTrue(failed.allSatisfy { $0.error!.contains("does not fit in the judge's context") && $0.error!.contains("2048") })
    }
}
