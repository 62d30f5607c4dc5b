import Foundation
import Judge  // Suite.storeDefinition (Suite+Store), to save the suite the generator reads
import Store
import Suite
import TestSupport
import XCTest
@testable import Candidates

/// Remote candidates against the loopback chat server: concurrent calls, keyed reuse, refusals.
final class RemoteCandidatesTests: XCTestCase {
    private let items = [
        (id: "a", prompt: "first question"),
        (id: "b", prompt: "second question"),
        (id: "c", prompt: "third question"),
        (id: "d", prompt: "fourth question"),
    ]

    /// Answers each request with its user message and temperature, so outputs show what was asked.
    private static func echo(_ request: RecordedRequest) -> LoopbackChatServer.Behavior {
        let body = request.jsonObject ?? [:]
        let messages = body["messages"] as? [[String: Any]] ?? []
        let user = messages.last?["content"] as? String ?? "?"
        return .reply("answer to \(user) at \(body["temperature"] ?? "default")")
    }

    private func models(_ server: LoopbackChatServer, temperature: Double) -> String {
        """
          - name: hosted
            url: \(server.baseURL.absoluteString)
            model: tiny-remote
            api_key_env: CANDIDATES_TEST_KEY
            system_prompt: Be brief.
            max_tokens: 32
            sampling: { temperature: \(temperature), seed: 5 }
          - name: imported
        """
    }

    private func run(_ suite: Suite, _ store: JudgeStore) async throws -> GenerationSummary {
        let ids = try store.saveSuite(suite.storeDefinition)
        let options = CandidateGenerator.Options(concurrency: 3, environment: ["CANDIDATES_TEST_KEY": "sk-test"])
        return try await CandidateGenerator(store: store, suite: suite, ids: ids, options: options).run()
    }

    func testRemoteOutputsAreStoredOnceAndRegeneratedWhenASettingChanges() async throws {
        let server = try LoopbackChatServer.start(threads: 2, responder: { Self.echo($0) })
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let store = try JudgeStore.inMemory()

        let suite = try folder.suite(items: items, models: models(server, temperature: 0.2))
        let first = try await run(suite, store)
        XCTAssertEqual(first.generated, 4)
        XCTAssertEqual(first.failures, [])
        XCTAssertEqual(server.requests.count, 4)
        let request = try XCTUnwrap(server.requests.first?.jsonObject)
        XCTAssertEqual(request["model"] as? String, "tiny-remote")
        XCTAssertEqual(request["max_tokens"] as? Int, 32)
        XCTAssertEqual(request["seed"] as? Int, 5)
        let messages = try XCTUnwrap(request["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.first?["role"] as? String, "system")
        XCTAssertEqual(messages.first?["content"] as? String, "Be brief.")
        XCTAssertEqual(server.requests.first?.header("Authorization"), "Bearer sk-test")
        let outputs = try store.currentCandidates(suite: "tiny", models: ["hosted"]).map(\.output).sorted()
        XCTAssertEqual(outputs, items.map { "answer to \($0.prompt) at 0.2" }.sorted())

        let second = try await run(suite, store)
        XCTAssertEqual(second.generated, 0)
        XCTAssertEqual(second.reused, 4)
        XCTAssertEqual(server.requests.count, 4, "a rerun called the endpoint")

        let warmer = try folder.suite(items: items, models: models(server, temperature: 0.9))
        let third = try await run(warmer, store)
        XCTAssertEqual(third.generated, 4)
        XCTAssertEqual(server.requests.count, 8)
        let regenerated = try store.currentCandidates(suite: "tiny", models: ["hosted"]).map(\.output)
        XCTAssertTrue(regenerated.allSatisfy { $0.hasSuffix("at 0.9") }, "\(regenerated)")
    }

    func testARefusingEndpointStopsItsModelAndStoresNothing() async throws {
        let server = try LoopbackChatServer.start { _ in .error(400, message: "model tiny-remote does not exist") }
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let store = try JudgeStore.inMemory()
        let suite = try folder.suite(items: items, models: models(server, temperature: 0.2))
        let ids = try store.saveSuite(suite.storeDefinition)
        let options = CandidateGenerator.Options(concurrency: 1, environment: [:])
        let summary = try await CandidateGenerator(store: store, suite: suite, ids: ids, options: options).run()
        XCTAssertEqual(summary.generated, 0)
        XCTAssertEqual(summary.failures.count, 4)
        XCTAssertEqual(server.requests.count, 1, "calls went on after the endpoint refused")
        XCTAssertTrue(summary.failures[0].reason.contains("does not exist"), summary.failures[0].reason)
        XCTAssertTrue(summary.failures[1].reason.hasPrefix("not sent"), summary.failures[1].reason)
        XCTAssertEqual(try store.currentCandidates(suite: "tiny", models: ["hosted"]).count, 0)
    }
}
