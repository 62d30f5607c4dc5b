import XCTest
@testable import Suite

/// `urls:` (endpoint pools), `judge.batch` and `batch_discount` in the suite file.
extension SuiteLoadingTests {
    private var base: String { "name: d\ntasks:\n  - name: t\n    items: held.jsonl\n" }

    func testURLsListEndpointsOfOneModelAndTheJudge() throws {
        let suite = try load(base + """
            models:
              - name: pooled
                urls: [http://gpu1:8080/v1, http://gpu2:8080/v1, http://gpu3:8080/v1]
                model: llama
              - name: single
                url: http://one:8080/v1
            judge:
              urls: [http://j1/v1, http://j2/v1]
              batch: true
              prices:
                gpt-4: { input: 10, output: 30, batch_discount: 0.5 }

            """)
        XCTAssertEqual(suite.models[0].source, .remote(url: "http://gpu1:8080/v1", model: "llama", apiKeyEnv: "OPENAI_API_KEY"))
        XCTAssertEqual(suite.models[0].additionalURLs, ["http://gpu2:8080/v1", "http://gpu3:8080/v1"])
        XCTAssertEqual(suite.models[1].additionalURLs, [])
        XCTAssertEqual(suite.judge.urls, ["http://j1/v1", "http://j2/v1"])
        XCTAssertTrue(suite.judge.batch)
        let price = try XCTUnwrap(suite.judge.prices["gpt-4"])
        XCTAssertEqual(price.batchDiscount, 0.5)
        XCTAssertEqual(price.cost(promptTokens: 1_000_000, completionTokens: 0), 10)
        XCTAssertEqual(price.cost(promptTokens: 1_000_000, completionTokens: 0, batch: true), 5)
        XCTAssertEqual(price.batchPrice.cost(promptTokens: 0, completionTokens: 1_000_000), 15)
        XCTAssertFalse(try load(base).judge.batch, "direct calls by default")
    }

    func testURLsMistakesAreNamed() {
        assertError(base + "models:\n  - name: a\n    url: http://a/v1\n    urls: [http://b/v1]\n",
                    line: 8, field: "models[0].urls", contains: "url or urls, not both")
        assertError(base + "models:\n  - name: a\n    urls: [http://a/v1, ftp://b]\n",
                    line: 7, field: "models[0].urls", contains: "http:// or https://")
        assertError(base + "models:\n  - name: a\n    urls: []\n",
                    line: 7, field: "models[0].urls", contains: "at least one URL")
        assertError(base + "judge:\n  urls: [http://a/v1]\n  path: j.gguf\n",
                    line: 7, field: "judge.path", contains: "not both")
        assertError(base + "judge:\n  prices:\n    gpt-4: { input: 1, output: 2, batch_discount: 2 }\n",
                    line: 7, field: "judge.prices.gpt-4.batch_discount", contains: "found \"2\"")
    }
}
