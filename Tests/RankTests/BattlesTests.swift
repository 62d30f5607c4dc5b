import XCTest
@testable import Rank

final class BattlesTests: XCTestCase {
    func parse(_ text: String) throws -> [Comparison] {
        try Comparison.parseBattles(Data(text.utf8), file: "b.jsonl")
    }

    func testArenaFormatAndOurExtensions() throws {
        let c = try parse("""
        {"model_a": "x", "model_b": "y", "winner": "model_a"}

        {"model_a": "x", "model_b": "y", "winner": "model_b", "strong": true, "task": "code"}
        {"model_a": "x", "model_b": "y", "winner": "tie (bothbad)", "length_a": 10, "length_b": 30}
        {"model_a": "x", "model_b": "y", "winner": "tie", "conv_metadata": {"sum_assistant_a_tokens": 5, "sum_assistant_b_tokens": 7}}
        {"model_a": "x", "model_b": "y", "outcome": "A>>B"}
        """)
        XCTAssertEqual(c.map(\.outcome), [.aBetter, .bMuchBetter, .tieBothBad, .tie, .aMuchBetter])
        XCTAssertEqual(c[1].task, "code")
        XCTAssertEqual(c[2].lengthA, 10); XCTAssertEqual(c[2].lengthB, 30)
        XCTAssertEqual(c[3].lengthA, 5); XCTAssertEqual(c[3].lengthB, 7)
    }

    func testBadLinesNameTheLineAndCause() {
        let cases: [(String, String)] = [
            ("{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"model_c\"}", "\"winner\" is 'model_c'"),
            ("{\"model_a\": \"x\", \"winner\": \"tie\"}", "missing or empty \"model_b\""),
            ("not json", "not a JSON object"),
            ("{\"model_a\": \"x\", \"model_b\": \"x\", \"winner\": \"tie\"}", "both 'x'"),
            ("{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\", \"length_a\": -3}", "\"length_a\" must be a whole number"),
            ("{\"model_a\": \"x\", \"model_b\": \"y\", \"outcome\": \"A>>>B\"}", "\"outcome\" must be one of"),
            ("{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\", \"task\": 3}", "\"task\" must be a string"),
        ]
        for (line, reason) in cases {
            let text = "{\"model_a\": \"p\", \"model_b\": \"q\", \"winner\": \"tie\"}\n" + line
            XCTAssertThrowsError(try parse(text), line) { error in
                let message = "\(error)"
                XCTAssert(message.hasPrefix("b.jsonl:2: "), message)
                XCTAssert(message.contains(reason), "\(message) should contain \(reason)")
            }
        }
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try Comparison.readBattles(contentsOf: URL(fileURLWithPath: "/nonexistent/b.jsonl"))) {
            XCTAssert("\($0)".contains("cannot read battles file /nonexistent/b.jsonl"))
        }
    }
}
