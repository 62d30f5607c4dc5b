import Foundation
import TestSupport
import XCTest

/// Issue 18 through the `judge` binary: numbers out of range are refused with the range (C2–C5, H1),
/// `--bootstrap -1` is a value, a dry run with nothing stored says so, and `report` needs two models.
final class HostileArgumentsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try #"{"id": "a", "prompt": "Hi"}"#.appending("\n")
            .write(to: directory.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A suite of imported models (nothing to generate) and a judge that is never called.
    private func suite(models: [String] = ["a", "b"], judge extra: String = "") throws -> String {
        let list = models.isEmpty ? "" : "models:\n" + models.map { "  - name: \($0)\n" }.joined()
        let yaml = "name: hostile\ntasks:\n  - name: t\n    items: items.jsonl\n\(list)judge:\n  url: http://127.0.0.1:9/v1\n\(extra)"
        let file = directory.appendingPathComponent("suite.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try JudgeBinary.locate().run(arguments, in: directory)
    }

    func testHugeNumbersAreRefusedWithTheirRangeNotACrash() throws {
        let suite = try suite()
        let cases: [([String], String)] = [
            (["compare", suite, "--concurrency", "9223372036854775807", "--dry-run"],
             "--concurrency must be between 1 and 1024 (requests in flight at once), got 9223372036854775807"),
            (["compare", suite, "--concurrency", "-5"], "--concurrency must be between 1 and 1024 (requests in flight at once), got -5"),
            (["compare", suite, "--pairs", "adaptive", "--budget", "9223372036854775807"],
             "--budget must be between 1 and 100000000 (judge calls), got 9223372036854775807"),
            (["rank", "--db", "x.sqlite", "--bootstrap", "9223372036854775807"],
             "--bootstrap must be between 0 and 100000 (bootstrap rounds; 0 for none), got 9223372036854775807"),
            (["rank", "--db", "x.sqlite", "--bootstrap", "1000000000000"],
             "--bootstrap must be between 0 and 100000 (bootstrap rounds; 0 for none), got 1000000000000"),
            (["rank", "--db", "x.sqlite", "--bootstrap", "-1"],
             "--bootstrap must be between 0 and 100000 (bootstrap rounds; 0 for none), got -1"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let exponent = try run(["compare", suite, "--concurrency", "1e11"])
        XCTAssertEqual(exponent.status, 64, exponent.stderr)
    }

    func testRunRefusesAHugeRepeatWindow() throws {
        let model = try RealModelFile.smolLM2().path
        let result = try run(["run", "--model", model, "--prompt", "hi", "--max-tokens", "2",
                              "--repeat-last-n", "9223372036854775807", "--repeat-penalty", "2"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--repeat-last-n must be between 0 and 1048576 (recent tokens penalized), got 9223372036854775807"),
                      result.stderr)
    }

    func testASuiteWithAHugeMaxTokensIsRefusedWithItsLine() throws {
        let suite = try suite(judge: "  max_tokens: 9223372036854775807\n")
        let result = try run(["compare", suite, "--dry-run"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("suite.yaml:10: judge.max_tokens: must be between 1 and 1048576"), result.stderr)
    }

    func testADryRunWithNothingStoredSaysNothingToJudge() throws {
        let suite = try suite()
        let dry = try run(["compare", suite, "--dry-run"])
        XCTAssertNotEqual(dry.status, 0, "as the real run: \(dry.stdout)")
        XCTAssertTrue(dry.stderr.contains("dry run: nothing to judge"), dry.stderr)
    }

    func testReportNeedsTwoModels() throws {
        for models in [[], ["a"]] {
            let suite = try suite(models: models)
            let result = try run(["report", suite, "--db", "missing.sqlite"])
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("a report compares the suite's models, and it lists \(models.count)"), result.stderr)
        }
    }
}
