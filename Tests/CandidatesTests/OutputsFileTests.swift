import XCTest
@testable import Candidates
import Store
import StoreTestSupport

final class OutputsFileTests: XCTestCase {
    func testEveryBadLineIsReportedWithItsNumber() throws {
        let text = """
        {"model": "alpha", "task": "dev", "item_id": "d1", "output": "Paris."}
        {"model": "alpha", "task": "dev", "item_id": "d1", "output": "again"}
        {not json
        {"model": "beta", "task": "dev", "output": "x"}

        {"model": "beta", "task": "nope", "item_id": "d1", "output": "x"}
        {"model": "beta", "task": "dev", "item_id": "d9", "output": "x"}
        {"model": "beta", "task": "dev", "item_id": 7.5, "output": "x"}
        {"model": "beta", "task": "dev", "item_id": "d2", "output": "x", "score": 3}
        {"model": "", "task": "dev", "item_id": "d2", "output": "x"}
        ["model"]
        {"model": "gamma", "task": "held", "item_id": "h1", "output": ""}
        """
        let fixture = try StoreFixture()
        let parsed = OutputsFile.parse(text, file: "out.jsonl")
        let resolved = OutputsFile.resolve(parsed.lines, ids: fixture.ids, file: "out.jsonl")
        let problems = (parsed.problems + resolved.problems).sorted { $0.line < $1.line }.map(\.description)
        XCTAssertEqual(problems.count, 9, problems.joined(separator: "\n"))
        XCTAssertEqual(problems[0], "out.jsonl:2: duplicate: model alpha, task dev, item d1 already given on line 1")
        XCTAssertTrue(problems[1].hasPrefix("out.jsonl:3: not valid JSON"), problems[1])
        XCTAssertEqual(problems[2], "out.jsonl:4: missing \"item_id\"")
        XCTAssertTrue(problems[3].hasPrefix("out.jsonl:6: unknown task \"nope\""), problems[3])
        XCTAssertEqual(problems[4], "out.jsonl:7: unknown item \"d9\" in task dev")
        XCTAssertTrue(problems[5].hasPrefix("out.jsonl:8: \"item_id\" must be"), problems[5])
        XCTAssertTrue(problems[6].hasPrefix("out.jsonl:9: unknown key(s) score"), problems[6])
        XCTAssertEqual(problems[7], "out.jsonl:10: \"model\" is empty")
        XCTAssertTrue(problems[8].hasPrefix("out.jsonl:11: expected a JSON object"), problems[8])
        XCTAssertEqual(resolved.imports.count, 2, "line 1 and line 12 (an empty output is an answer too)")
    }

    func testIntegerItemIDsMatch() throws {
        let parsed = OutputsFile.parse(#"{"model": "m", "task": "dev", "item_id": 12, "output": "x"}"#, file: "f")
        XCTAssertEqual(parsed.lines.map(\.itemID), ["12"])
    }
}

// MARK: - Bytes (issue 18, D1/D2)

extension OutputsFileTests {
    func testNULAndInvalidUTF8AreRefusedByLineNeverAltered() {
        let good = Array(#"{"model": "m", "task": "dev", "item_id": "d1", "output": "fine"}"#.utf8)
        let escapedNUL = Array(#"{"model": "m", "task": "dev", "item_id": "d2", "output": "before\u0000after"}"#.utf8)
        let rawBytes = Array(#"{"model": "m", "task": "dev", "item_id": "d3", "output": "caf"#.utf8) + [0xE9, 0x20, 0xFF] + Array(#""}"#.utf8)
        let parsed = OutputsFile.parse(Data(good + [10] + escapedNUL + [10] + rawBytes + [10]), file: "out.jsonl")
        XCTAssertEqual(parsed.lines.map(\.output), ["fine"])
        XCTAssertEqual(parsed.problems.map(\.description), [
            "out.jsonl:2: \"output\" contains NUL (\\u0000), which the store cannot keep; remove it",
            "out.jsonl:3: not valid UTF-8 (at character 62); save the file as UTF-8",
        ])
    }

    func testCRLFIsAcceptedAsInYAML() {
        let lines = (1...120).map { #"{"model": "m", "task": "dev", "item_id": "d\#($0)", "output": "x"}"# }
        let parsed = OutputsFile.parse(Data((lines.joined(separator: "\r\n") + "\r\n").utf8), file: "out.jsonl")
        XCTAssertEqual(parsed.problems.map(\.description), [])
        XCTAssertEqual(parsed.lines.count, 120)
        XCTAssertEqual(parsed.lines.last?.output, "x")
    }
}
