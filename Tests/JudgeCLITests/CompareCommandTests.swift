import Foundation
import XCTest

/// `judge compare` (the built binary) through the whole loop against a loopback model-and-judge server:
/// generate → judge → rank → report, and `--pairs adaptive --budget N`.
final class CompareCommandTests: XCTestCase {
    func testWholeLoopWritesTheReportAndExitsAsJudgeOverfitDoes() throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture()
        let suite = fixture.suiteFile.path
        let db = fixture.storePath("judge.sqlite")
        let out = fixture.directory.appendingPathComponent("report")

        let compare = try judge.run(["compare", suite, "--db", db, "--out", out.path, "--bootstrap", "200"],
                                    in: fixture.directory)
        let overfit = try judge.run(["overfit", suite, "--db", db, "--bootstrap", "200"], in: fixture.directory)
        XCTAssertTrue([0, 3, 5].contains(overfit.status), overfit.stderr)
        XCTAssertEqual(compare.status, overfit.status, "compare's exit status is judge overfit's: \(compare.stderr)")

        for name in ["report.html", "report.md", "ratings.json", "ratings.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
        // The leaderboard on stdout: every model, best (alpha, the fixture's strongest) first.
        let lines = compare.stdout.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("#") && $0.contains("model") && $0.contains("95% CI") },
                                   compare.stdout)
        let places = lines[(header + 1)...].prefix(3).map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        XCTAssertEqual(places.first, "alpha", compare.stdout)
        XCTAssertEqual(Set(places), ["alpha", "beta", "gamma"])
        XCTAssertTrue(compare.stdout.contains("held-out check (holdout): "), compare.stdout)
        XCTAssertTrue(compare.stdout.contains(out.appendingPathComponent("report.html").path))

        // ratings.json is what `judge report` writes from the same store.
        let again = fixture.directory.appendingPathComponent("again")
        let report = try judge.run(["report", suite, "--db", db, "--out", again.path, "--bootstrap", "200"],
                                   in: fixture.directory)
        XCTAssertEqual(report.status, 0, report.stderr)
        for name in ["report.md", "ratings.json", "ratings.csv", "report.html"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)),
                           try Data(contentsOf: again.appendingPathComponent(name)), name)
        }

        // --no-overfit-status keeps 0 whatever the verdict; a rerun sends nothing.
        let sent = fixture.server.requests.count
        let quiet = try judge.run(["compare", suite, "--db", db, "--out", out.path, "--bootstrap", "200",
                                   "--no-overfit-status"], in: fixture.directory)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(fixture.server.requests.count, sent)
    }

    func testAdaptiveSpendsExactlyTheBudgetAndContinuesUpToALargerOne() throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture(models: ["alpha", "beta", "gamma", "delta", "epsilon"], itemsPerTask: 6,
                                         concurrency: 3)
        let suite = fixture.suiteFile.path
        let db = fixture.storePath("judge.sqlite")
        XCTAssertEqual(fixture.judgmentCount, 240)

        let first = try judge.run(["compare", suite, "--db", db, "--pairs", "adaptive", "--budget", "40", "--no-report"],
                                  in: fixture.directory)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(fixture.requests("judge"), 40, "both orders of 20 pairs")
        XCTAssertEqual(try CompareFixture.counts(db).judgments, 40)

        // The same budget again: nothing to do.
        let same = try judge.run(["compare", suite, "--db", db, "--pairs", "adaptive", "--budget", "40", "--no-report"],
                                 in: fixture.directory)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(fixture.requests("judge"), 40)

        // A larger one adds exactly the difference; an odd budget leaves the last call unspent (pairs cost two).
        let more = try judge.run(["compare", suite, "--db", db, "--pairs", "adaptive", "--budget", "65", "--no-report"],
                                 in: fixture.directory)
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertEqual(fixture.requests("judge"), 64)
        XCTAssertEqual(try CompareFixture.counts(db).judgments, 64)
        try CompareFixture.checkConsistent(db)

        // The same store gives the same choices: a second store from scratch holds the same judgments.
        let twin = fixture.storePath("twin.sqlite")
        for budget in ["40", "65"] {
            let run = try judge.run(["compare", suite, "--db", twin, "--pairs", "adaptive", "--budget", budget, "--no-report"],
                                    in: fixture.directory)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        XCTAssertEqual(try CompareFixture.snapshot(twin).judgments, try CompareFixture.snapshot(db).judgments)
    }

    func testAdaptiveSpendsMoreOnTheCloseTopThanOnTheClearBottom() throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture(models: ["alpha", "beta", "gamma", "delta", "epsilon"], itemsPerTask: 12,
                                         concurrency: 4)
        let suite = fixture.suiteFile.path
        let db = fixture.storePath("judge.sqlite")
        let run = try judge.run(["compare", suite, "--db", db, "--pairs", "adaptive", "--budget", "160", "--no-report"],
                                in: fixture.directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        // Judge calls per pair of models, from the requests (each names both answers' models).
        var perPair: [String: Int] = [:]
        for request in fixture.server.requests where CompareFixture.kind(request) == "judge" {
            let text = request.bodyText
            let pair = fixture.models.filter { text.contains("«\($0)»") }.joined(separator: "-")
            perPair[pair, default: 0] += 1
        }
        XCTAssertEqual(perPair.values.reduce(0, +), 160)
        let topPairs = (perPair["alpha-beta"] ?? 0) + (perPair["beta-gamma"] ?? 0)
        XCTAssertGreaterThan(topPairs, 2 * (perPair["alpha-epsilon"] ?? 0),
                             "the close top pairs get more calls than the most lopsided one: \(perPair)")
    }

    func testAdaptiveNeedsABudgetAndBudgetNeedsAdaptive() throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture()
        let suite = fixture.suiteFile.path
        let noBudget = try judge.run(["compare", suite, "--pairs", "adaptive"], in: fixture.directory)
        XCTAssertEqual(noBudget.status, 64)
        XCTAssertTrue(noBudget.stderr.contains("--pairs adaptive needs --budget N"), noBudget.stderr)
        let stray = try judge.run(["compare", suite, "--budget", "10"], in: fixture.directory)
        XCTAssertEqual(stray.status, 64)
        XCTAssertTrue(stray.stderr.contains("--budget applies to --pairs adaptive only"), stray.stderr)
        let bad = try judge.run(["compare", suite, "--pairs", "some"], in: fixture.directory)
        XCTAssertEqual(bad.status, 64)
        XCTAssertEqual(fixture.server.requests.count, 0, "nothing sent on bad arguments")
    }
}
