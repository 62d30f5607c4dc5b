import XCTest
@testable import Suite

/// Issue 18, D1/D2 and "unclear errors": items files are read from their bytes, line by line.
final class ItemsBytesTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    private func load(_ bytes: [UInt8], name: String = "items.jsonl") throws -> [SuiteItem] {
        let file = dir.url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return try SuiteItem.load(from: file, displayPath: name).items
    }

    private func assertError(_ bytes: [UInt8], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(bytes), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testCRLFLinesAreReadLikeLF() throws {
        let items = try load(Array("{\"id\": \"a\", \"prompt\": \"x\"}\r\n{\"id\": \"b\", \"prompt\": \"y\"}\r\n\r\n".utf8))
        XCTAssertEqual(items.map(\.id), ["a", "b"])
        XCTAssertEqual(items.map(\.prompt), ["x", "y"])
        assertError(Array("{\"id\": \"a\", \"prompt\": \"x\"}\r\n{\"id\": \"b\"}\r\n".utf8),
                    "items.jsonl:2: prompt: required: item \"b\" has no prompt")
    }

    func testInvalidUTF8IsAnErrorWithItsLine() {
        assertError(Array("{\"id\": \"a\", \"prompt\": \"x\"}\n{\"id\": \"b\", \"prompt\": \"caf".utf8) + [0xE9, 0x20, 0xFF] + Array("\"}\n".utf8),
                    "items.jsonl:2: not valid UTF-8 (at character 27); save the file as UTF-8")
    }

    func testUTF16IsNamed() {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("{\"id\": \"a\"}".utf8).flatMap { [$0, 0] }
        assertError(utf16, "items.jsonl: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8")
    }

    func testNULIsRefusedRawOrEscaped() {
        assertError(Array("{\"id\": \"a\", \"prompt\": \"a\\u0000b\"}\n".utf8),
                    "items.jsonl:1: prompt: \"prompt\" contains NUL (\\u0000), which the store cannot keep; remove it")
        assertError(Array("{\"id\": \"a\", \"prompt\": \"a\"}\n{\"id\": \"b\", \"prompt\": \"a".utf8) + [0] + Array("b\"}\n".utf8),
                    "items.jsonl:2: contains a NUL byte (at character 25), which cannot be stored")
        assertError(Array("{\"id\": \"a\", \"prompt\": \"a\", \"system\": \"\\u0000\"}\n".utf8),
                    "items.jsonl:1: system: \"system\" contains NUL (\\u0000), which the store cannot keep; remove it")
    }

    func testADirectoryAsItemsPathIsNamed() throws {
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("folder.jsonl"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try SuiteItem.load(from: dir.url.appendingPathComponent("folder.jsonl"), displayPath: "folder.jsonl")) { error in
            XCTAssertEqual("\(error)", "folder.jsonl: is a directory, not a JSONL file")
        }
    }

    func testUnicodeIsKeptExactly() throws {
        let prompt = "é 😀 \u{2028} e\u{301}"
        let items = try load(Array("\u{FEFF}{\"id\": \"a\", \"prompt\": \"\(prompt)\"}\n".utf8))
        XCTAssertEqual(Array(items[0].prompt.utf8), Array(prompt.utf8))
    }
}
