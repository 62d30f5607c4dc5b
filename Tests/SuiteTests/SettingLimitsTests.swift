import XCTest
@testable import Suite

/// C2, H1 and the prices (issue 18): every numeric suite setting is range-checked with the range in the error.
final class SettingLimitsTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("items.jsonl", #"{"id": "a", "prompt": "Hi"}"# + "\n")
    }

    override func tearDown() { dir.remove() }

    private func error(_ section: String) -> String {
        let yaml = "name: s\ntasks:\n  - name: t\n    items: items.jsonl\n" + section
        do {
            _ = try Suite.load(from: try dir.write("suite.yaml", yaml))
            return "loaded"
        } catch {
            return "\(error)".components(separatedBy: "suite.yaml").last ?? ""
        }
    }

    func testHugeNumbersAreRefusedWithTheirRange() {
        XCTAssertEqual(error("judge:\n  max_tokens: 9223372036854775807\n"),
                       ":6: judge.max_tokens: must be between 1 and 1048576 (tokens per reply), got 9223372036854775807, found \"9223372036854775807\"")
        XCTAssertEqual(error("judge:\n  concurrency: 100000000000\n"),
                       ":6: judge.concurrency: must be between 1 and 1024 (requests in flight at once), got 100000000000, found \"100000000000\"")
        XCTAssertEqual(error("judge:\n  concurrency: 0\n"),
                       ":6: judge.concurrency: must be between 1 and 1024 (requests in flight at once), got 0, found \"0\"")
        XCTAssertEqual(error("judge:\n  concurrency: 99999999999999999999999\n"),
                       ":6: judge.concurrency: must be between 1 and 1024 (requests in flight at once), found \"99999999999999999999999\"")
        XCTAssertEqual(error("models:\n  - name: m\n    path: m.gguf\n    max_tokens: 9223372036854775807\n"),
                       ":8: models[0].max_tokens: must be between 1 and 1048576 (tokens per reply), got 9223372036854775807, found \"9223372036854775807\"")
        XCTAssertEqual(error("models:\n  - name: m\n    path: m.gguf\n    sampling: {top_k: -1}\n"),
                       ":8: models[0].sampling.top_k: must be between 0 and 1048576 (candidate tokens; 0 for all), got -1, found \"-1\"")
        XCTAssertEqual(error("judge:\n  prices:\n    gpt-4: {input: 1e300, output: 1}\n"),
                       ":7: judge.prices.gpt-4.input: must be between 0 and 1000000, found \"1e300\"")
    }

    func testSettingsInsideTheLimitsLoad() {
        XCTAssertEqual(error("judge:\n  max_tokens: 1048576\n  concurrency: 1024\n  prices:\n    j: {input: 0, output: 1000000}\n"), "loaded")
    }

    func testEveryLimitNamesItsRange() {
        for limit in [SettingLimits.concurrency, SettingLimits.maxTokens, SettingLimits.bootstrapRounds, SettingLimits.repeatLastN,
                      SettingLimits.budget, SettingLimits.topK, SettingLimits.seed, SettingLimits.contextLength] {
            let text = limit.problem(limit.range.upperBound &+ 1) ?? ""
            XCTAssertTrue(text.hasPrefix("must be between \(limit.range.lowerBound) and \(limit.range.upperBound) ("), text)
            XCTAssertNil(limit.problem(limit.range.lowerBound))
        }
        // The largest values multiply without overflow: calls × tokens per call.
        XCTAssertFalse(SettingLimits.budget.range.upperBound.multipliedReportingOverflow(by: SettingLimits.maxTokens.range.upperBound).overflow)
    }
}

extension SettingLimitsTests {
    /// "Unclear errors" (issue 18): a 10 MB value is quoted by a bounded prefix, never whole.
    func testErrorsQuoteABoundedPrefixOfALongValue() {
        let huge = String(repeating: "x", count: 10_000_000)
        let text = error("models:\n  - name: m\n    system_prompt: \(huge)\n")
        XCTAssertLessThan(text.utf8.count, 400, String(text.prefix(400)))
        XCTAssertTrue(text.hasSuffix("found \"\(String(repeating: "x", count: 80))…\" (10000000 characters)"), String(text.prefix(400)))
    }
}

extension SettingLimitsTests {
    /// Issue 18, point 5: `judge.ca_file` names a CA file relative to the suite; a missing one is an error.
    func testCAFileResolvesBesideTheSuite() throws {
        try dir.write("company-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let yaml = "name: s\ntasks:\n  - name: t\n    items: items.jsonl\njudge:\n  url: https://proxy.example/v1\n  ca_file: company-ca.pem\n"
        let suite = try Suite.load(from: try dir.write("suite.yaml", yaml))
        XCTAssertEqual(suite.judge.caFile, dir.url.appendingPathComponent("company-ca.pem").standardizedFileURL.path)
        XCTAssertTrue(error("judge:\n  ca_file: nowhere.pem\n").hasPrefix(":6: judge.ca_file: no readable file at "))
    }
}

extension SettingLimitsTests {
    /// Fuzzing (issue 18, point 2): the `suite` target found that Yams reads `8:55555555555555555555` as a
    /// YAML 1.1 base-60 number and traps on the overflow (SIGILL). Numbers are read as plain decimals by us.
    func testBaseSixtyNumbersAreRefusedNotTrapped() {
        XCTAssertEqual(error("models:\n  - name: m\n    path: m.gguf\n    sampling: {seed: 8:::::2:&:5555555555555555555555555555555}\n"),
                       ":8: models[0].sampling.seed: expected a whole number, found \"8:::::2:&:5555555555555555555555555555555\"")
        XCTAssertEqual(error("models:\n  - name: m\n    path: m.gguf\n    sampling: {seed: \"1:30\"}\n"),
                       ":8: models[0].sampling.seed: expected a whole number, found \"1:30\"")
        XCTAssertEqual(error("judge:\n  prices:\n    j: {input: \"1:30\", output: 1}\n"),
                       ":7: judge.prices.j.input: expected a number, found \"1:30\"")
    }

    /// Fuzzing: `prices: {j}` (a model named with no prices, a null) was force-unwrapped (a trap).
    func testAPriceWithoutValuesIsAnError() {
        XCTAssertEqual(error("judge:\n  url: http://127.0.0.1:1/v1\n  prices: {j}\n"),
                       ":7: judge.prices.j: give input and output, in USD per million tokens")
        XCTAssertEqual(error("judge:\n  prices:\n    j:\n"),
                       ":7: judge.prices.j: give input and output, in USD per million tokens")
    }

    func testPlainNumbersStillRead() {
        XCTAssertEqual(YAMLFields.wholeNumber("1_000"), 1000)
        XCTAssertEqual(YAMLFields.wholeNumber(" -3 "), -3)
        XCTAssertEqual(YAMLFields.wholeNumber("+7"), 7)
        XCTAssertNil(YAMLFields.wholeNumber("1__0"))
        XCTAssertNil(YAMLFields.wholeNumber("99999999999999999999999"))
        XCTAssertEqual(YAMLFields.number("1e-3"), 0.001)
        XCTAssertEqual(YAMLFields.number(".5"), 0.5)
        XCTAssertEqual(YAMLFields.number("2"), 2)
        XCTAssertEqual(YAMLFields.number(".inf"), .infinity)
        XCTAssertNil(YAMLFields.number("0x10"))
        XCTAssertNil(YAMLFields.number("1:30"))
    }
}
