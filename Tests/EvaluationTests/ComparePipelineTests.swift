import Foundation
import Store
import StoreTestSupport
import TestSupport
import XCTest
@testable import Evaluation

/// The compare pipeline called as a command calls it, with its text captured: what a dry run prints and
/// what a run that cannot start says (the judging itself runs end to end in JudgeCLITests).
final class ComparePipelineTests: XCTestCase {
    private var directory: URL!
    private var db: String { directory.appendingPathComponent("judge.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Text the pipeline wrote, stdout and stderr apart.
    final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var printed: [String] = []
        private var noted: [String] = []
        var stdout: [String] { lock.withLock { printed } }
        var stderr: [String] { lock.withLock { noted } }
        var output: EvaluationOutput {
            EvaluationOutput(print: { text in self.lock.withLock { self.printed.append(text) } },
                             note: { text in self.lock.withLock { self.noted.append(text) } })
        }
    }

    func testADryRunPrintsThePlanOfTheSuitesJudgeAndSendsNothing() async throws {
        let suite = try TwoJudgeStore.writeSuite(in: directory)
        try TwoJudgeStore.fill(try JudgeStore(path: db))
        let captured = Captured()
        // Port 9 (discard) on loopback: a dry run must not call it.
        let request = CompareRequest(suiteFile: suite.path, storePath: db, judgeURL: "http://127.0.0.1:9/v1", dryRun: true)
        let result = try await ComparePipeline(request: request, output: captured.output).run()
        XCTAssertEqual(result, .dryRun)
        // 4 items × 3 pairs, one of them identical outputs: 11 pairs in both orders and one tie. The stored
        // rows were made under other keys, so none is reused.
        XCTAssertEqual(Array(captured.stdout.joined(separator: "\n").split(separator: "\n").prefix(3)), [
            "dry run: nothing sent",
            "judgments: 23 planned, 0 already in the store, 1 identical-output ties (no call)",
            "calls to send: 22 to smollm2 (template pairwise-logprobs logprobs-v1)",
        ])
        XCTAssertEqual(captured.stdout.last, "judge: http://127.0.0.1:9/v1")
    }

    func testASuiteWithoutAJudgeToCallSaysWhatToGive() async throws {
        let suite = try TwoJudgeStore.writeSuite(in: directory)
        try TwoJudgeStore.fill(try JudgeStore(path: db))
        let request = CompareRequest(suiteFile: suite.path, storePath: db, dryRun: true)
        do {
            _ = try await ComparePipeline(request: request, output: Captured().output).run()
            XCTFail("no judge URL and no judge model file")
        } catch let error as EvaluationError {
            guard case .failure(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("no judge to call") && message.contains("judge.url"), message)
        }
    }

    // MARK: - The Batch API (--batch, judge.batch: true)

    /// The TwoJudgeStore suite (its outputs, filled by `fill`) with a text-verdict judge at `url`, priced with
    /// a batch discount, and `batch: true`.
    private func batchSuite(url: URL) throws -> URL {
        let suite = try TwoJudgeStore.writeSuite(in: directory)
        var yaml = try String(contentsOf: suite, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "  verdict: logprobs\n", with: """
              url: \(url.absoluteString)
              template: pairwise
              batch: true
              prices:
                smollm2: { input: 2, output: 10, batch_discount: 0.5 }

            """)
        try yaml.write(to: suite, atomically: true, encoding: .utf8)
        return suite
    }

    func testJudgeBatchTrueJudgesThroughTheBatchAPIAndARerunSendsNothing() async throws {
        let server = try LoopbackBatchServer.start { _ in "Assistant A is better. [[A]]" }
        defer { server.stop() }
        let suite = try batchSuite(url: server.baseURL)
        try TwoJudgeStore.fill(try JudgeStore(path: db))
        var request = CompareRequest(suiteFile: suite.path, storePath: db, writeReport: false)
        request.batchPollInterval = .milliseconds(5)

        let first = Captured()
        let result = try await ComparePipeline(request: request, output: first.output).run()
        XCTAssertEqual(result, .judged)
        XCTAssertEqual(server.counts.creates, 1)
        // The store already holds this configuration's unparsed replies for two pairs (TwoJudgeStore's text
        // judge): the other 20 calls went out in the one batch, and every line came back a verdict.
        let printed = first.stdout.joined(separator: "\n")
        XCTAssertEqual(server.counts.lines, 20)
        XCTAssertTrue(printed.contains("20 calls sent"), printed)
        XCTAssertTrue(printed.contains("calls: 20 verdicts, 0 unparsed, 0 failed"), printed)
        XCTAssertTrue(printed.contains("cost: $"), "priced at the batch price: \(printed)")
        XCTAssertTrue(first.stderr.contains { $0.hasPrefix("batches: 1 submitted, 0 resumed from the store; collected ") }, "\(first.stderr)")

        let second = Captured()
        _ = try await ComparePipeline(request: request, output: second.output).run()
        XCTAssertEqual(server.counts.creates, 1, "a rerun sent a batch again")
        XCTAssertTrue(second.stdout.joined(separator: "\n").contains(", 0 calls sent"), "\(second.stdout)")
    }

    func testABatchDryRunIsPricedAtTheBatchPrice() async throws {
        let suite = try batchSuite(url: URL(string: "http://127.0.0.1:9/v1")!)
        try TwoJudgeStore.fill(try JudgeStore(path: db))
        let direct = Captured(), batched = Captured()
        var request = CompareRequest(suiteFile: suite.path, storePath: db, dryRun: true)
        request.batch = true
        _ = try await ComparePipeline(request: request, output: batched.output).run()
        // The same suite without batch: true is priced directly.
        let yaml = try String(contentsOf: suite, encoding: .utf8).replacingOccurrences(of: "  batch: true\n", with: "")
        try yaml.write(to: suite, atomically: true, encoding: .utf8)
        request.batch = false
        _ = try await ComparePipeline(request: request, output: direct.output).run()

        func cost(_ c: Captured) throws -> Double {
            let line = try XCTUnwrap(c.stdout.joined(separator: "\n").split(separator: "\n").first { $0.hasPrefix("estimated cost: $") })
            return try XCTUnwrap(Double(line.dropFirst("estimated cost: $".count).prefix { $0 != " " }))
        }
        XCTAssertEqual(try cost(batched), try cost(direct) * 0.5, accuracy: 1e-4)
        XCTAssertTrue(batched.stdout.contains { $0.hasPrefix("through the Batch API: the cost above is at the batch price") }, "\(batched.stdout)")
        XCTAssertFalse(direct.stdout.contains { $0.hasPrefix("through the Batch API") })
    }

    func testBatchNeedsARemoteJudgeAndAFixedPlan() async throws {
        let suite = try TwoJudgeStore.writeSuite(in: directory)
        try TwoJudgeStore.fill(try JudgeStore(path: db))
        let model = directory.appendingPathComponent("judge.gguf")
        try Data("GGUF".utf8).write(to: model)
        var embedded = CompareRequest(suiteFile: suite.path, storePath: db, judgePath: model.path, dryRun: true)
        embedded.batch = true
        var adaptive = CompareRequest(suiteFile: suite.path, storePath: db, judgeURL: "http://127.0.0.1:9/v1",
                                      pairs: .adaptive(budget: 10), dryRun: true)
        adaptive.batch = true
        for (request, expected) in [(embedded, "give a remote judge"), (adaptive, "use --pairs all or --pairs sample:N")] {
            do {
                _ = try await ComparePipeline(request: request, output: Captured().output).run()
                XCTFail("expected a refusal containing \(expected)")
            } catch let error as EvaluationError {
                guard case .failure(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains(expected), message)
            }
        }
    }
}
