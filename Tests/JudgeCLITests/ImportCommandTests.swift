import Foundation
import XCTest

/// `judge import` (the built binary): outputs land in the store once; a bad file is refused whole, with
/// every bad line named.
final class ImportCommandTests: XCTestCase {
    func testImportsOnceAndNamesEveryBadLine() throws {
        let judge = try JudgeBinary.locate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"id": "q1", "prompt": "Capital of France?"}"#.appending("\n")
            .write(to: directory.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        try """
            name: imports
            tasks:
              - name: qa
                items: items.jsonl
            models:
              - name: a
              - name: b
            judge:
              model: gpt-4

            """.write(to: directory.appendingPathComponent("suite.yaml"), atomically: true, encoding: .utf8)
        let good = #"{"model": "a", "task": "qa", "item_id": "q1", "output": "Paris."}"# + "\n"
            + #"{"model": "b", "task": "qa", "item_id": "q1", "output": "Lyon."}"# + "\n"
        try good.write(to: directory.appendingPathComponent("out.jsonl"), atomically: true, encoding: .utf8)

        let first = try judge.run(["import", "out.jsonl", "--suite", "suite.yaml"], in: directory)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("imported 2 output(s) from out.jsonl: 2 added, 0 replaced, 0 unchanged"), first.stdout)
        let again = try judge.run(["import", "out.jsonl"], in: directory)   // the one suite in the store
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 added, 0 replaced, 2 unchanged"), again.stdout)

        try (good + #"{"model": "a", "task": "qa", "item_id": "q9", "output": "x"}"# + "\n{oops\n")
            .write(to: directory.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        let bad = try judge.run(["import", "bad.jsonl"], in: directory)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:3: unknown item \"q9\" in task qa"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:4: not valid JSON"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("2 bad line(s); nothing imported"), bad.stderr)
    }
}
