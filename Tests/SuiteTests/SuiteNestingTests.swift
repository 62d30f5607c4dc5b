import XCTest
@testable import Suite

/// C1 (issue 18): deeply nested YAML is refused with its line, never a stack overflow.
final class SuiteNestingTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("items.jsonl", #"{"id": "a", "prompt": "Hi"}"# + "\n")
    }

    override func tearDown() { dir.remove() }

    private func load(_ yaml: String) throws -> Suite {
        try Suite.load(from: try dir.write("suite.yaml", yaml))
    }

    private func assertTooDeep(_ yaml: String, line: Int, file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try load(yaml), file: file, line: testLine) { error in
            guard let error = error as? SuiteError else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.description.contains("suite.yaml:\(line): nested deeper than 64 levels"), "\(error)",
                          file: file, line: testLine)
        }
    }

    func testFiveThousandOpenBracketsAreRefusedWithTheirLine() {
        assertTooDeep("description: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), line: 1)
        assertTooDeep("name: x\n\ndescription: " + String(repeating: "{a: ", count: 5000) + String(repeating: "}", count: 5000),
                      line: 3)
    }

    func testAMappingThreeThousandDeepIsRefused() {
        var yaml = "name: x\n"
        for level in 0..<3000 { yaml += String(repeating: " ", count: level) + "k\(level):\n" }
        yaml += String(repeating: " ", count: 3000) + "leaf: 1\n"
        assertTooDeep(yaml, line: 66)  // the root mapping is level 1 (line 1), k0's value level 2 (line 3), …
    }

    func testNestingUpToTheLimitStillLoadsOrFailsForOtherReasons() throws {
        // 63 levels under the root mapping: accepted by the nesting check, then refused as an unknown value type.
        let deep = "name: x\ndescription: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        XCTAssertThrowsError(try load(deep)) { error in
            XCTAssertFalse("\(error)".contains("nested deeper"), "\(error)")
        }
        let suite = try load("name: x\ntasks:\n  - name: t\n    items: items.jsonl\n")
        XCTAssertEqual(suite.tasks.first?.items.count, 1)
    }
}

/// P1 (issue 18): a suite name becomes a folder (reports/NAME), so it is one plain path component.
final class SuiteNameTests: XCTestCase {
    func testNamesThatWouldEscapeTheReportsFolderAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("items.jsonl", #"{"id": "a", "prompt": "Hi"}"# + "\n")
        for name in ["\"a/../../..\"", "\"..\"", "\".\"", "\"a\\\\b\"", "\".hidden\"", "\"/etc\"", "\"a\\tb\""] {
            let yaml = "name: \(name)\ntasks:\n  - name: t\n    items: items.jsonl\n"
            XCTAssertThrowsError(try Suite.load(from: try dir.write("suite.yaml", yaml)), name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("suite.yaml:1: name: "), text)
            }
        }
        for name in ["demo", "my suite v2", "a..b", "ünïcode-名前"] {
            let yaml = "name: \"\(name)\"\ntasks:\n  - name: t\n    items: items.jsonl\n"
            XCTAssertEqual(try Suite.load(from: try dir.write("suite.yaml", yaml)).name, name)
        }
    }
}
