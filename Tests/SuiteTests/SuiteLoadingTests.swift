import XCTest
@testable import Suite

final class SuiteLoadingTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("extraction.jsonl", """
            {"id": "e1", "prompt": "Extract the date.", "reference": "3 May"}
            {"id": 2, "prompt": "Extract the name.", "system": "Be brief."}

            """)
        try dir.write("held.jsonl", #"{"id": "h1", "prompt": "Classify."}"# + "\n")
    }

    override func tearDown() { dir.remove() }

    func load(_ yaml: String) throws -> Suite {
        try Suite.load(from: try dir.write("suite.yaml", yaml))
    }

    func assertError(_ yaml: String, line: Int?, field: String?, contains text: String,
                     file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try load(yaml), file: file, line: testLine) { error in
            guard let error = error as? SuiteError else { return XCTFail("not a SuiteError: \(error)", file: file, line: testLine) }
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.field, field, "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.message.contains(text), "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.file.hasSuffix(".yaml") || error.file.hasSuffix(".jsonl"), file: file, line: testLine)
        }
    }

    // MARK: - A full suite

    func testLoadsEverySection() throws {
        let suite = try load("""
            name: demo
            description: two tasks
            tasks:
              - name: extraction
                items: extraction.jsonl
              - name: held
                description: never tuned on
                items: held.jsonl
                held_out: true
            models:
              - name: gpt-4
              - name: smol
                path: models/smol.gguf
                template: chatml
                system_prompt: Be concise.
                max_tokens: 128
                sampling: { temperature: 0.8, top_p: 0.95, top_k: 40, seed: 3, repeat_penalty: 1.1 }
              - name: hosted
                url: https://example.invalid/v1
                model: llama-3
                api_key_env: HOSTED_KEY
            judge:
              url: http://127.0.0.1:8080/v1
              model: gpt-4o
              template: pairwise-graded
              both_orders: false
              api_key_env: JUDGE_KEY
              max_tokens: 512
              seed: 7
              concurrency: 4
              prices:
                gpt-4o: { input: 2.5, output: 10 }
            """)
        XCTAssertEqual(suite.name, "demo")
        XCTAssertEqual(suite.tasks.map(\.name), ["extraction", "held"])
        XCTAssertEqual(suite.tasks.map(\.heldOut), [false, true])
        XCTAssertEqual(suite.tasks[0].items, [
            SuiteItem(id: "e1", prompt: "Extract the date.", reference: "3 May"),
            SuiteItem(id: "2", prompt: "Extract the name.", system: "Be brief."),
        ])
        XCTAssertEqual(suite.models.map(\.source.kind), ["imported", "local", "remote"])
        guard case .local(let path, let template) = suite.models[1].source else { return XCTFail() }
        XCTAssertEqual(path.path, dir.url.appendingPathComponent("models/smol.gguf").standardizedFileURL.path)
        XCTAssertEqual(template, "chatml")
        XCTAssertEqual(suite.models[1].sampling, ModelSpec.Sampling(temperature: 0.8, topP: 0.95, topK: 40, repeatPenalty: 1.1, seed: 3))
        XCTAssertEqual(suite.models[1].maxTokens, 128)
        XCTAssertEqual(suite.models[2].source, .remote(url: "https://example.invalid/v1", model: "llama-3", apiKeyEnv: "HOSTED_KEY"))
        XCTAssertEqual(suite.judge.url, "http://127.0.0.1:8080/v1")
        XCTAssertEqual(suite.judge.model, "gpt-4o")
        XCTAssertEqual(suite.judge.template, "pairwise-graded")
        XCTAssertFalse(suite.judge.bothOrders)
        XCTAssertEqual(suite.judge.apiKeyEnv, "JUDGE_KEY")
        XCTAssertEqual(suite.judge.maxTokens, 512)
        XCTAssertEqual(suite.judge.seed, 7)
        XCTAssertEqual(suite.judge.concurrency, 4)
        XCTAssertEqual(suite.judge.prices["gpt-4o"], JudgeSpec.Price(inputPerMillion: 2.5, outputPerMillion: 10))
        XCTAssertEqual(suite.judge.prices["gpt-4o"]!.cost(promptTokens: 1_000_000, completionTokens: 100_000), 3.5, accuracy: 1e-12)
        XCTAssertTrue(suite.warnings.isEmpty)
    }

    func testDefaultsWithoutJudgeSection() throws {
        let suite = try load("name: d\ntasks:\n  - name: t\n    items: held.jsonl\n")
        XCTAssertNil(suite.judge.url)
        XCTAssertEqual(suite.judge.template, "pairwise")
        XCTAssertTrue(suite.judge.bothOrders)
        XCTAssertEqual(suite.judge.apiKeyEnv, "OPENAI_API_KEY")
        XCTAssertTrue(suite.models.isEmpty)
    }

    // MARK: - Errors name file, line, field and cause

    func testUnknownKeyIsAnErrorWithSuggestion() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\n    held-out: true\n",
                    line: 5, field: "tasks[0].held-out", contains: "did you mean \"held_out\"")
    }

    func testWrongTypeNamesFieldAndValue() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\n    held_out: sometimes\n",
                    line: 5, field: "tasks[0].held_out", contains: "expected true or false, found \"sometimes\"")
    }

    func testMissingRequiredKeys() {
        assertError("tasks:\n  - name: t\n    items: held.jsonl\n", line: 1, field: "name", contains: "required")
        assertError("name: d\n", line: 1, field: "tasks", contains: "at least one task")
        assertError("name: d\ntasks:\n  - items: held.jsonl\n", line: 3, field: "tasks[0].name", contains: "required")
    }

    func testBadYAML() {
        assertError("name: d\ntasks: [\n  - name: t\n", line: 3, field: nil, contains: "not valid YAML")
    }

    func testDuplicateNames() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\n  - name: t\n    items: held.jsonl\n",
                    line: 5, field: "tasks[1].name", contains: "used twice")
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\nmodels:\n  - name: a\n  - name: a\n",
                    line: 7, field: "models[1].name", contains: "used twice")
    }

    func testModelKindConflicts() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\nmodels:\n  - name: a\n    path: x.gguf\n    url: http://h/v1\n",
                    line: 8, field: "models[0].url", contains: "not both")
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\nmodels:\n  - name: a\n    max_tokens: 5\n",
                    line: 7, field: "models[0].max_tokens", contains: "only for generated models")
    }

    // MARK: - The verdict mode

    func testVerdictLogprobsPicksTheOneTokenTemplateUnlessOneIsNamed() throws {
        let base = "name: d\ntasks:\n  - name: t\n    items: held.jsonl\njudge:\n"
        let logprobs = try load(base + "  verdict: logprobs\n")
        XCTAssertEqual(logprobs.judge.verdict, .logprobs)
        XCTAssertEqual(logprobs.judge.template, "pairwise-logprobs")
        let named = try load(base + "  verdict: logprobs\n  template: my-own\n")
        XCTAssertEqual(named.judge.template, "my-own")
        let text = try load(base + "  verdict: text\n")
        XCTAssertEqual(text.judge.verdict, .text)
        XCTAssertEqual(text.judge.template, "pairwise")
        XCTAssertEqual(try load(base + "  model: m\n").judge.verdict, .text, "text is the default")
    }

    func testUnknownVerdictModeSaysWhichExist() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\njudge:\n  verdict: logits\n",
                    line: 6, field: "judge.verdict", contains: "expected text or logprobs")
    }

    func testPricesNeedBothSides() {
        assertError("name: d\ntasks:\n  - name: t\n    items: held.jsonl\njudge:\n  prices:\n    gpt-4: { input: 1 }\n",
                    line: 7, field: "judge.prices.gpt-4", contains: "both input and output")
    }

    func testMissingItemsFile() {
        XCTAssertThrowsError(try load("name: d\ntasks:\n  - name: t\n    items: nope.jsonl\n")) { error in
            let error = error as! SuiteError
            XCTAssertTrue(error.file.hasSuffix("nope.jsonl"))
            XCTAssertTrue(error.message.contains("cannot read"), "\(error)")
        }
    }

    // MARK: - Items files

    func items(_ text: String) throws -> (items: [SuiteItem], warnings: [SuiteWarning]) {
        try SuiteItem.parse(jsonl: text, displayPath: "items.jsonl")
    }

    func assertItemsError(_ text: String, line: Int?, field: String?, contains message: String,
                          file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try items(text), file: file, line: testLine) { error in
            let error = error as! SuiteError
            XCTAssertEqual(error.file, "items.jsonl", file: file, line: testLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.field, field, "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.message.contains(message), "\(error)", file: file, line: testLine)
        }
    }

    func testDuplicateItemIDNamesBothLines() {
        assertItemsError("{\"id\":\"a\",\"prompt\":\"p\"}\n\n{\"id\":\"a\",\"prompt\":\"q\"}\n",
                         line: 3, field: "id", contains: "duplicate item id \"a\" (first on line 1)")
        // 1 and "1" are the same id.
        assertItemsError("{\"id\":1,\"prompt\":\"p\"}\n{\"id\":\"1\",\"prompt\":\"q\"}\n", line: 2, field: "id", contains: "duplicate")
    }

    func testMissingOrBadPrompt() {
        assertItemsError("{\"id\":\"a\"}\n", line: 1, field: "prompt", contains: "has no prompt")
        assertItemsError("{\"id\":\"a\",\"prompt\":\"  \"}\n", line: 1, field: "prompt", contains: "empty prompt")
        assertItemsError("{\"id\":\"a\",\"prompt\":3}\n", line: 1, field: "prompt", contains: "expected text, found a number")
    }

    func testBadJSONAndBadIDs() {
        assertItemsError("{\"id\":\"a\",\"prompt\":\"p\"}\n{\"id\": \"b\", \"prompt\": }\n", line: 2, field: nil, contains: "not valid JSON")
        assertItemsError("[1, 2]\n", line: 1, field: nil, contains: "expected a JSON object")
        assertItemsError("{\"prompt\":\"p\"}\n", line: 1, field: "id", contains: "required")
        assertItemsError("{\"id\":true,\"prompt\":\"p\"}\n", line: 1, field: "id", contains: "found true/false")
        assertItemsError("{\"id\":\"a\",\"prompt\":\"p\",\"reference\":[1]}\n", line: 1, field: "reference", contains: "expected text")
        assertItemsError("\n\n", line: nil, field: nil, contains: "no items")
    }

    func testUnknownItemKeysAreWarnings() throws {
        let result = try items("{\"id\":\"a\",\"prompt\":\"p\",\"category\":\"x\"}\r\n")
        XCTAssertEqual(result.items, [SuiteItem(id: "a", prompt: "p")])
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertEqual(result.warnings[0].line, 1)
        XCTAssertTrue(result.warnings[0].message.contains("category"))
    }

    func testErrorDescriptionIsOneLine() {
        let error = SuiteError(file: "s.yaml", line: 4, field: "judge.url", message: "expected an http:// or https:// URL")
        XCTAssertEqual(error.description, "s.yaml:4: judge.url: expected an http:// or https:// URL")
    }
}
