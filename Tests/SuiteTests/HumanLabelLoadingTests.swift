import XCTest
@testable import Suite

final class HumanLabelLoadingTests: XCTestCase {
    let tasks: [String: Set<String>] = ["writing": ["81", "82", "1"], "extraction": ["e1", "1"]]
    let models: Set<String> = ["alpaca-13b", "gpt-4", "vicuna-13b"]

    func parse(_ text: String) throws -> (labels: [HumanLabel], warnings: [SuiteWarning]) {
        try HumanLabel.parse(jsonl: text, displayPath: "labels.jsonl", tasks: tasks, models: models)
    }

    func assertError(_ text: String, line: Int?, field: String?, contains message: String,
                     file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: testLine) { error in
            guard let error = error as? SuiteError else { return XCTFail("not a SuiteError: \(error)", file: file, line: testLine) }
            XCTAssertEqual(error.file, "labels.jsonl", file: file, line: testLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.field, field, "\(error)", file: file, line: testLine)
            XCTAssert(error.message.contains(message), "\(error)", file: file, line: testLine)
        }
    }

    /// MT-Bench's human judgments and Arena's battles, CRLF line ends, a blank line, a later turn.
    func testReadsMTBenchAndArenaShapes() throws {
        let text = """
            {"question_id": 81, "model_a": "alpaca-13b", "model_b": "gpt-4", "winner": "model_b", "judge": "expert_0", "turn": 1, "conversation_a": []}\r
            \r
            {"question_id": "e1", "model_a": "gpt-4", "model_b": "vicuna-13b", "winner": "tie (bothbad)", "tstamp": 1.5}\r
            {"item": "82", "model_a": "vicuna-13b", "model_b": "alpaca-13b", "winner": "tie"}
            {"question_id": 81, "model_a": "alpaca-13b", "model_b": "gpt-4", "winner": "model_a", "judge": "expert_1", "turn": 2}
            {"question_id": 1, "task": "extraction", "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "model_a"}
            """
        let (labels, warnings) = try parse(text)
        XCTAssertEqual(labels, [
            HumanLabel(item: "81", task: "writing", modelA: "alpaca-13b", modelB: "gpt-4", winner: .modelB, voter: "expert_0", line: 1),
            HumanLabel(item: "e1", task: "extraction", modelA: "gpt-4", modelB: "vicuna-13b", winner: .tieBothBad, voter: nil, line: 3),
            HumanLabel(item: "82", task: "writing", modelA: "vicuna-13b", modelB: "alpaca-13b", winner: .tie, voter: nil, line: 4),
            HumanLabel(item: "1", task: "extraction", modelA: "gpt-4", modelB: "alpaca-13b", winner: .modelA, voter: nil, line: 6),
        ])
        XCTAssertEqual(warnings.map(\.message), ["skipped 1 votes on turns after the first: a suite item is a single prompt"])
    }

    func testErrorsNameTheFileLineAndField() {
        let ok = #"{"question_id": 81, "model_a": "alpaca-13b", "model_b": "gpt-4", "winner": "model_a"}"#
        assertError(ok + "\n" + #"{"question_id": 99, "model_a": "alpaca-13b", "model_b": "gpt-4", "winner": "model_a"}"#,
                    line: 2, field: "question_id", contains: "unknown item \"99\"")
        assertError(ok + "\r\n" + #"{"question_id": 81, "model_a": "llama", "model_b": "gpt-4", "winner": "model_a"}"#,
                    line: 2, field: "model_a", contains: "unknown model \"llama\" (the suite's models: alpaca-13b, gpt-4, vicuna-13b)")
        assertError(#"{"question_id": 81, "model_a": "gpt-4", "model_b": "gpt-5", "winner": "model_a"}"#,
                    line: 1, field: "model_b", contains: "unknown model \"gpt-5\"")
        assertError(#"{"question_id": 81, "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "gpt-4"}"#,
                    line: 1, field: "winner", contains: "unknown winner \"gpt-4\" (expected model_a, model_b, tie, tie (bothbad))")
        assertError(#"{"question_id": 81, "model_a": "gpt-4", "model_b": "alpaca-13b"}"#, line: 1, field: "winner", contains: "required")
        assertError(#"{"model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "tie"}"#, line: 1, field: "question_id", contains: "required")
        assertError(#"{"question_id": 81, "model_a": "gpt-4", "model_b": "gpt-4", "winner": "tie"}"#, line: 1, field: "model_b", contains: "the same model")
        assertError(#"{"question_id": 81, "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "tie", "turn": "one"}"#,
                    line: 1, field: "turn", contains: "expected a turn number")
        assertError(#"{"question_id": 1, "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "tie"}"#,
                    line: 1, field: "question_id", contains: "item \"1\" is in tasks extraction, writing: add \"task\" to say which")
        assertError(#"{"question_id": 81, "task": "extraction", "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "tie"}"#,
                    line: 1, field: "question_id", contains: "task extraction has no item")
        assertError(#"{"question_id": 81, "task": "poetry", "model_a": "gpt-4", "model_b": "alpaca-13b", "winner": "tie"}"#,
                    line: 1, field: "task", contains: "unknown task \"poetry\"")
        assertError("not json", line: 1, field: nil, contains: "not valid JSON")
        assertError("\n\r\n", line: nil, field: nil, contains: "has no votes")
    }

    func testWithoutASuiteAnyItemAndModelLoad() throws {
        let labels = try HumanLabel.parse(jsonl: #"{"question_id": "x", "model_a": "p", "model_b": "q", "winner": "tie"}"#,
                                          displayPath: "l.jsonl").labels
        XCTAssertEqual(labels.count, 1)
    }

    func testAMissingFileSaysSo() {
        XCTAssertThrowsError(try HumanLabel.load(from: URL(fileURLWithPath: "/nonexistent/labels.jsonl"), displayPath: "labels.jsonl")) {
            XCTAssert("\($0)".hasPrefix("labels.jsonl: cannot read the human-labels file"), "\($0)")
        }
    }

    /// `human_labels:` in a suite: loaded with the suite, checked against its items and models.
    func testASuiteNamesItsHumanLabels() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("items.jsonl", #"{"id": "q1", "prompt": "Say hi."}"# + "\n")
        try dir.write("labels.jsonl", #"{"question_id": "q1", "model_a": "a", "model_b": "b", "winner": "model_a"}"# + "\r\n")
        let yaml = """
            name: s
            tasks: [{ name: t, items: items.jsonl }]
            models: [{ name: a }, { name: b }]
            human_labels: labels.jsonl
            """
        let suite = try Suite.load(from: try dir.write("suite.yaml", yaml))
        XCTAssertEqual(suite.humanLabels, [HumanLabel(item: "q1", task: "t", modelA: "a", modelB: "b", winner: .modelA, line: 1)])
        XCTAssertEqual(suite.humanLabelsFile?.lastPathComponent, "labels.jsonl")

        try dir.write("labels.jsonl", #"{"question_id": "q1", "model_a": "a", "model_b": "c", "winner": "model_a"}"# + "\n")
        XCTAssertThrowsError(try Suite.load(from: dir.url.appendingPathComponent("suite.yaml"))) { error in
            XCTAssert("\(error)".hasSuffix("labels.jsonl:1: model_b: unknown model \"c\" (the suite's models: a, b)"), "\(error)")
        }
    }
}
