import Foundation
import Judge  // Suite.storeDefinition (Suite+Store), to save the suite the generator reads
import Store
import Suite
import TestSupport
import XCTest
@testable import Candidates

/// Issue 19, point 2: workers generating for the same suite on the same store share the outputs under
/// leases — no remote call is paid for twice, and a dead worker's claims pass to the others.
final class SharedGenerationTests: XCTestCase {
    private let items = (0..<24).map { (id: "q\($0)", prompt: "question \($0)") }

    private func models(_ server: LoopbackChatServer) -> String {
        """
          - name: hosted
            url: \(server.baseURL.absoluteString)
            model: tiny-remote
          - name: imported
        """
    }

    private func generator(_ store: JudgeStore, _ suite: Suite, owner: String, lease: Duration = .seconds(30)) throws -> CandidateGenerator {
        let ids = try store.saveSuite(suite.storeDefinition)
        let options = CandidateGenerator.Options(concurrency: 2, environment: [:],
                                                 shared: .init(owner: owner, lease: lease, idlePoll: .milliseconds(20)))
        return CandidateGenerator(store: store, suite: suite, ids: ids, options: options)
    }

    func testThreeWorkersCallEachPromptOnce() async throws {
        let server = try LoopbackChatServer.start(threads: 2) { request in
            let user = (request.jsonObject?["messages"] as? [[String: Any]])?.last?["content"] as? String ?? "?"
            return .delayed(.milliseconds(15), then: .reply("answer to \(user)"))
        }
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let suite = try folder.suite(items: items, models: models(server))
        let path = folder.directory.appendingPathComponent("judge.sqlite").path
        _ = try JudgeStore(path: path)   // migrated once, before the workers open it

        let summaries = try await withThrowingTaskGroup(of: GenerationSummary.self) { group in
            for worker in 0..<3 {
                group.addTask {
                    let store = try JudgeStore(path: path)
                    return try await self.generator(store, suite, owner: "test/\(worker)/w").run()
                }
            }
            var all: [GenerationSummary] = []
            for try await summary in group { all.append(summary) }
            return all
        }
        XCTAssertEqual(server.requests.count, items.count, "a prompt was sent twice (or never)")
        XCTAssertEqual(Set(server.requests.compactMap { ($0.jsonObject?["messages"] as? [[String: Any]])?.last?["content"] as? String }).count,
                       items.count)
        XCTAssertEqual(summaries.map(\.generated).reduce(0, +), items.count)
        XCTAssertTrue(summaries.allSatisfy { $0.generated + $0.reused == items.count }, "\(summaries)")
        XCTAssertTrue(summaries.allSatisfy { $0.failures.isEmpty })
        let outputs = try JudgeStore(path: path).currentCandidates(suite: "tiny", models: ["hosted"]).map(\.output)
        XCTAssertEqual(Set(outputs), Set(items.map { "answer to \($0.prompt)" }))
    }

    /// A worker that claimed and died (its claims never finished, its lease short) holds nothing for long:
    /// the next worker takes the work over once the lease has passed.
    func testADeadWorkersClaimsAreTakenOverAfterTheirLease() async throws {
        let server = try LoopbackChatServer.start { request in .reply("ok") }
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }
        let suite = try folder.suite(items: items, models: models(server))
        let store = try JudgeStore(path: folder.directory.appendingPathComponent("judge.sqlite").path)

        // The dead worker: its jobs enqueued and all claimed under a 300 ms lease, then nothing.
        let dead = try generator(store, suite, owner: "elsewhere/1/dead")
        let work = try dead.prepare().filter { $0.spec.name == "hosted" }
        let scope = CandidateGenerator.scope("tiny", work[0])
        try store.enqueue(scope: scope, keys: work[0].jobs.map(CandidateGenerator.jobKey))
        XCTAssertEqual(try store.claim(scope: scope, owner: "elsewhere/1/dead", limit: 100, lease: .milliseconds(300)).count, items.count)

        let started = ContinuousClock.now
        let summary = try await generator(store, suite, owner: "test/2/live").run()
        XCTAssertEqual(summary.generated, items.count)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(250), "took the work before the lease ran out")
        XCTAssertEqual(server.requests.count, items.count)
        XCTAssertEqual(try store.unfinishedJobs(scope: scope), 0)
    }
}
