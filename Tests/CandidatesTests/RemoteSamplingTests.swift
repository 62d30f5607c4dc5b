import Foundation
import Judge  // Suite.storeDefinition (Suite+Store), to save the suite the generator reads
import Store
import Suite
import TestSupport
import XCTest
@testable import Candidates

/// The sampling settings a suite gives a remote model reach the endpoint, and unset ones are left out.
final class RemoteSamplingTests: XCTestCase {
    private func firstRequest(sampling: String) async throws -> [String: Any] {
        let server = try LoopbackChatServer.start { _ in .reply("ok") }
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let suite = try folder.suite(items: [(id: "a", prompt: "question")], models: """
              - name: hosted
                url: \(server.baseURL.absoluteString)
                model: tiny-remote
                sampling: \(sampling)
              - name: imported
            """)
        let store = try JudgeStore.inMemory()
        let ids = try store.saveSuite(suite.storeDefinition)
        let summary = try await CandidateGenerator(store: store, suite: suite, ids: ids, options: .init(concurrency: 1)).run()
        XCTAssertEqual(summary.generated, 1)
        return try XCTUnwrap(server.requests.first?.jsonObject)
    }

    func testEverySamplingSettingIsSent() async throws {
        let body = try await firstRequest(sampling: "{ temperature: 0.7, top_p: 0.9, top_k: 40, min_p: 0.05, repeat_penalty: 1.1, seed: 3 }")
        XCTAssertEqual(body["temperature"] as? Double, 0.7)
        XCTAssertEqual(body["top_p"] as? Double, 0.9)
        XCTAssertEqual(body["top_k"] as? Int, 40)
        XCTAssertEqual(body["min_p"] as? Double, 0.05)
        XCTAssertEqual(body["repeat_penalty"] as? Double, 1.1)
        XCTAssertEqual(body["seed"] as? Int, 3)
    }

    func testUnsetSettingsAreLeftOutForTheServersDefaults() async throws {
        let body = try await firstRequest(sampling: "{ top_p: 0.5 }")
        XCTAssertEqual(body["top_p"] as? Double, 0.5)
        for key in ["temperature", "top_k", "min_p", "repeat_penalty", "seed"] { XCTAssertNil(body[key], key) }
    }
}
