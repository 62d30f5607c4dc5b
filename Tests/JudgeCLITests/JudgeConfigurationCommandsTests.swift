import Foundation
import Store
import StoreTestSupport
import XCTest

/// Every reader of the store — `rank`, `overfit`, `report`, `leaderboard` — rates ONE judge configuration
/// (the built binary, on a store where two configurations judged the same pairs), and never changes the store.
final class JudgeConfigurationCommandsTests: XCTestCase {
    private var directory: URL!
    private var db: String { directory.appendingPathComponent("judge.sqlite").path }
    private var suite: String { directory.appendingPathComponent("suite.yaml").path }
    private var judge: JudgeBinary!

    override func setUpWithError() throws {
        judge = try JudgeBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-configurations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = try TwoJudgeStore.writeSuite(in: directory, heldOutItems: 2)
        try TwoJudgeStore.fill(try JudgeStore(path: db), heldOutItems: 2)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try judge.run(arguments, in: directory)
    }

    /// Comparisons per model in `judge rank --format json`'s rows.
    private func counts(_ json: String) throws -> [String: Int] {
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], json)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["model"] as! String, $0["comparisons"] as! Int) })
    }

    // 6 items × 3 pairs = 18 comparisons per configuration, 12 per model; on i0 ant and bee tie (identical).

    func testRankRatesTheSuitesJudgeOrTheOneChosenNeverBoth() throws {
        let current = try run(["rank", "--suite", suite, "--db", db, "--format", "json", "--bootstrap", "0"])
        XCTAssertEqual(current.status, 0, current.stderr)
        XCTAssertEqual(try counts(current.stdout), ["ant": 12, "bee": 12, "cat": 12], "the logprob judge alone")
        XCTAssertTrue(current.stderr.contains("pairwise-logprobs"), current.stderr)

        let chosen = try run(["rank", "--db", db, "--judge", "smollm2@pairwise", "--format", "json", "--bootstrap", "0"])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
        XCTAssertEqual(try counts(chosen.stdout), ["ant": 1, "bee": 1], "the text judge resolved only its identical-output tie")
    }

    func testAJudgeThatMatchesNothingOrSeveralIsAOneLineErrorListingTheConfigurations() throws {
        for arguments in [["--judge", "gpt-4"], ["--judge", "smollm2"], []] {
            let result = try run(["rank", "--db", db] + arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(message.split(separator: "\n").count, 1, message)
            for id in [TwoJudgeStore.text.shortID, TwoJudgeStore.logprobs.shortID] {
                XCTAssertTrue(message.contains(id), "\(arguments): \(message)")
            }
        }
        let byID = try run(["rank", "--db", db, "--judge", TwoJudgeStore.logprobs.shortID, "--format", "json", "--bootstrap", "0"])
        XCTAssertEqual(try counts(byID.stdout), ["ant": 12, "bee": 12, "cat": 12], byID.stderr)
    }

    func testListJudgesShowsEachConfigurationWithItsCounts() throws {
        let result = try run(["rank", "--suite", suite, "--db", db, "--list-judges"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)   // header and two configurations
        let text = try XCTUnwrap(lines.first { $0.contains(TwoJudgeStore.text.shortID) })
        let logprobs = try XCTUnwrap(lines.first { $0.contains(TwoJudgeStore.logprobs.shortID) })
        // Each: 1 identical-output tie + 17 pairs × 2 orders = 35 judgments; the text judge resolves only its tie.
        XCTAssertEqual(text.split(separator: " ").suffix(3), ["35", "0", "1"], text)
        XCTAssertEqual(logprobs.split(separator: " ").suffix(3), ["35", "0", "18"], logprobs)
        XCTAssertTrue(logprobs.hasPrefix("*"), "the suite's current judge is marked: \(logprobs)")
    }

    func testOverfitReportAndLeaderboardRateOneConfiguration() throws {
        let overfit = try run(["overfit", suite, "--db", db, "--bootstrap", "20", "--format", "json"])
        XCTAssertTrue([0, 3, 5].contains(overfit.status), overfit.stderr)   // 5: inconclusive (17 pairs: too few to show the judge reliable)
        let check = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(overfit.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((check["development"] as? [String: Any])?["comparisons"] as? Int, 12, overfit.stdout)
        XCTAssertEqual((check["held_out"] as? [String: Any])?["comparisons"] as? Int, 6, overfit.stdout)

        let out = directory.appendingPathComponent("report")
        let report = try run(["report", suite, "--db", db, "--out", out.path, "--bootstrap", "20"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let ratings = try ratingsJSON(out)
        XCTAssertEqual(ratings.judge?["template_id"] as? String, "pairwise-logprobs")
        XCTAssertEqual(ratings.judge?["max_tokens"] as? Int, 1)
        XCTAssertEqual(ratings.counts, ["ant": 12, "bee": 12, "cat": 12])
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8).contains("pairwise-logprobs"))

        // No --judge and two configurations: one board each.
        let boards = directory.appendingPathComponent("boards")
        let leaderboard = try run(["leaderboard", "--db", db, "--out", boards.path, "--bootstrap", "20"])
        XCTAssertEqual(leaderboard.status, 0, leaderboard.stderr)
        let logprobsBoard = try ratingsJSON(boards.appendingPathComponent("judge-\(TwoJudgeStore.logprobs.shortID)"))
        XCTAssertEqual(logprobsBoard.counts, ["ant": 12, "bee": 12, "cat": 12])
        let textBoard = try ratingsJSON(boards.appendingPathComponent("judge-\(TwoJudgeStore.text.shortID)"))
        XCTAssertEqual(textBoard.counts, ["ant": 1, "bee": 1], "the text judge's identical-output tie, once")
        // The one chosen: in DIR itself.
        let chosen = directory.appendingPathComponent("chosen")
        let one = try run(["leaderboard", "--db", db, "--out", chosen.path, "--judge", "smollm2@pairwise-logprobs", "--bootstrap", "20"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try ratingsJSON(chosen).counts, ["ant": 12, "bee": 12, "cat": 12])
    }

    func testReadersNeverChangeTheStore() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        _ = try run(["rank", "--suite", suite, "--db", db, "--bootstrap", "0"])
        _ = try run(["rank", "--db", db, "--list-judges"])
        _ = try run(["overfit", suite, "--db", db, "--bootstrap", "5"])
        _ = try run(["report", suite, "--db", db, "--out", directory.appendingPathComponent("r").path, "--bootstrap", "5"])
        _ = try run(["leaderboard", "--db", db, "--out", directory.appendingPathComponent("l").path, "--bootstrap", "5"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }

    private func ratingsJSON(_ directory: URL) throws -> (judge: [String: Any]?, counts: [String: Int]) {
        let data = try Data(contentsOf: directory.appendingPathComponent("ratings.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(object["ratings"] as? [[String: Any]])
        return (object["judge"] as? [String: Any],
                Dictionary(uniqueKeysWithValues: rows.map { ($0["model"] as! String, $0["comparisons"] as! Int) }))
    }
}

/// The end of `judge compare` rates the configuration it judged with: a second run with another judge
/// temperature judges every pair again (the settings are in the keys) and its report counts its own
/// comparisons only.
final class CompareJudgeConfigurationTests: XCTestCase {
    func testAnotherTemperatureJudgesAgainAndIsRatedApart() throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture(models: ["alpha", "beta", "gamma"], itemsPerTask: 3)
        let suite = fixture.suiteFile.path
        let db = fixture.storePath("judge.sqlite")
        func ratings(_ out: URL) throws -> (judge: [String: Any], counts: [String: Int]) {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("ratings.json"))) as? [String: Any])
            let rows = try XCTUnwrap(object["ratings"] as? [[String: Any]])
            return (try XCTUnwrap(object["judge"] as? [String: Any]),
                    Dictionary(uniqueKeysWithValues: rows.map { ($0["model"] as! String, $0["comparisons"] as! Int) }))
        }
        let first = fixture.directory.appendingPathComponent("first")
        let one = try judge.run(["compare", suite, "--db", db, "--out", first.path, "--bootstrap", "20", "--no-overfit-status"],
                                in: fixture.directory)
        XCTAssertEqual(one.status, 0, one.stderr)
        let judgeCalls = fixture.server.requests.filter { CompareFixture.kind($0) == "judge" }.count
        XCTAssertEqual(judgeCalls, fixture.judgmentCount)

        // The same suite with the judge at temperature 0.5: another configuration.
        var yaml = try String(contentsOf: fixture.suiteFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "  template: pairwise\n", with: "  template: pairwise\n  temperature: 0.5\n")
        try yaml.write(to: fixture.suiteFile, atomically: true, encoding: .utf8)
        let second = fixture.directory.appendingPathComponent("second")
        let two = try judge.run(["compare", suite, "--db", db, "--out", second.path, "--bootstrap", "20", "--no-overfit-status"],
                                in: fixture.directory)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertEqual(fixture.server.requests.filter { CompareFixture.kind($0) == "judge" }.count, 2 * judgeCalls,
                       "nothing judged at temperature 0 is reused at 0.5")
        let (firstJudge, firstCounts) = try ratings(first)
        let (secondJudge, secondCounts) = try ratings(second)
        XCTAssertEqual(firstJudge["temperature"] as? Double, 0)
        XCTAssertEqual(secondJudge["temperature"] as? Double, 0.5)
        XCTAssertEqual(secondCounts, firstCounts, "each report rates its own configuration's comparisons, never both")

        let listed = try judge.run(["rank", "--suite", suite, "--db", db, "--list-judges"], in: fixture.directory)
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 3, listed.stdout)
        XCTAssertTrue(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("*") && $0.contains("0.5") }, listed.stdout)
    }
}
