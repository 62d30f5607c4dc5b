import Foundation
import Store
import StoreTestSupport
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
}
