import Foundation
import XCTest
import Rank
import Store
@testable import Report

/// The builder on a real store file, filled through Store's API: three models of clearly
/// different strength, two tasks (one held out), both orders judged, one unparsed reply.
final class ReportBuilderTests: XCTestCase {
    private var dir: URL!
    private var path: String { dir.appendingPathComponent("judge.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-builder-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// strong > middle > weak on every item, except one tie per pair; "<b>hostile</b>" output text.
    private func makeStore(judgedOn date: Date) throws -> JudgeStore {
        let store = try JudgeStore(path: path)
        let items = (0..<6).map { SuiteDefinition.Item(id: "i\($0)", prompt: "Question \($0)?") }
        let ids = try store.saveSuite(SuiteDefinition(
            name: "demo", tasks: [
                .init(name: "qa", heldOut: false, items: Array(items[0..<4])),
                .init(name: "held", heldOut: true, items: Array(items[4..<6])),
            ],
            models: ["strong", "middle", "weak"].map { .init(name: $0) }))
        let models = ["strong", "middle", "weak"]
        var imports: [CandidateImport] = []
        for (task, names) in [("qa", ["i0", "i1", "i2", "i3"]), ("held", ["i4", "i5"])] {
            for item in names {
                for m in models {
                    imports.append(CandidateImport(model: m, itemID: ids.items[task]![item]!,
                                                   output: "\(m) says <b>hostile</b> \(String(repeating: "x", count: m.count))"))
                }
            }
        }
        _ = try store.importCandidates(imports)
        let current = try store.currentCandidates(suite: "demo", models: models)
        func candidate(_ model: String, _ item: Int64) -> CurrentCandidate {
            current.first { $0.model == model && $0.itemID == item }!
        }
        var judgments: [JudgmentRecord] = []
        var n = 0
        for (task, names) in [("qa", ["i0", "i1", "i2", "i3"]), ("held", ["i4", "i5"])] {
            for (k, item) in names.enumerated() {
                let itemID = ids.items[task]![item]!
                for (a, b) in [(0, 1), (0, 2), (1, 2)] {
                    let ca = candidate(models[a], itemID), cb = candidate(models[b], itemID)
                    let tie = k == 0 && task == "qa"
                    for position in [JudgmentRecord.Position.ab, .ba] {
                        n += 1
                        // Presented terms: the better model (a) is shown first in `ab`.
                        let verdict: Verdict = tie ? .tie : (position == .ab ? .aBetter : .bBetter)
                        let unparsed = n == 7
                        judgments.append(JudgmentRecord(
                            key: "k\(n)", itemID: itemID, modelAID: ca.modelID, modelBID: cb.modelID,
                            candidateAID: ca.candidateID, candidateBID: cb.candidateID, position: position,
                            ordersPlanned: 2, templateID: "pairwise", templateVersion: "2", judgeModel: "gpt-4",
                            rawReply: unparsed ? "I cannot decide <script>x()</script>" : "Reasoning.\n[[\(verdict.rawValue)]]",
                            verdict: unparsed ? nil : verdict, unparsed: unparsed, promptTokens: 100, completionTokens: 20,
                            cost: 0.001, createdAt: date.addingTimeInterval(Double(n))))
                    }
                }
            }
        }
        try store.saveVerdicts(judgments)
        return store
    }

    /// The configuration of every judgment `makeStore` saves (no sampling settings: as rows stored before schema v3).
    private let judge = JudgeConfiguration(judgeModel: "gpt-4", templateID: "pairwise", templateVersion: "2",
                                           temperature: nil, maxTokens: nil)

    private var options: RatingOptions {
        var o = RatingOptions()
        o.bootstrapRounds = 50
        o.seed = 3
        return o
    }

    func testBuildsTheLeaderboardTasksHealthAndSamplesFromTheStore() throws {
        let store = try makeStore(judgedOn: Date(timeIntervalSince1970: 1_764_000_000))  // 2025-11-24 16:00 UTC
        let data = try ReportBuilder(store: store, options: options, sampleLimit: 4)
            .build(suites: ["demo"], judge: judge, title: "demo", asOf: "2025-11-24")
        XCTAssertEqual(data.leaderboard.map(\.model), ["strong", "middle", "weak"])
        XCTAssertEqual(data.leaderboard.map(\.rank), [1, 2, 3])
        XCTAssertEqual(data.leaderboard[0].wins + data.leaderboard[0].losses + data.leaderboard[0].ties,
                       data.leaderboard[0].comparisons)
        for row in data.leaderboard { XCTAssertLessThanOrEqual(row.ciLow, row.ciHigh) }
        XCTAssertEqual(data.tasks.map(\.task), ["qa", "held"], "development tasks first")
        XCTAssertEqual(data.tasks.map(\.heldOut), [false, true])
        XCTAssertEqual(data.winRates?.models, ["strong", "middle", "weak"])
        XCTAssertEqual(data.judgeDescription,
                       "gpt-4, template pairwise v2 (text verdicts), sampling settings not recorded (judged before schema v3)")
        XCTAssertEqual(data.judge, judge)
        let check = try XCTUnwrap(data.overfit, "the suite has a held-out task")
        XCTAssertEqual(check.heldOutTasks, ["held"])
        XCTAssertEqual(check.shifts.map(\.model), ["strong", "middle", "weak"])
        XCTAssertEqual(check.shifts.map(\.heldOutRank), [1, 2, 3])
        XCTAssertTrue(check.generalizes, check.verdict)
        XCTAssertEqual(try XCTUnwrap(check.kendallTau), 1, accuracy: 1e-12)
        let health = try XCTUnwrap(data.health)
        XCTAssertEqual(health.unparsed, 1)
        XCTAssertEqual(health.parsed, 35)
        XCTAssertEqual(health.promptTokens, 3_600)
        XCTAssertEqual(data.samples.count, 4)
        XCTAssertTrue(data.samples.allSatisfy { $0.reasoning.contains("shown first") })
        XCTAssertEqual(Set(data.samples.map(\.task)), ["qa", "held"], "every task gets its turn")
        XCTAssertEqual(try StoreDates.newestJudgment(store: store, suites: ["demo"]), "2025-11-24")
        XCTAssertNil(try StoreDates.newestJudgment(store: store, suites: ["other"]))
        // And it renders with every untrusted string escaped.
        let html = HTMLRenderer().render(data)
        XCTAssertTrue(html.contains("&lt;b&gt;hostile&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<b>hostile"))
    }

    func testTheSameStoreGivesByteIdenticalLeaderboards() throws {
        let store = try makeStore(judgedOn: Date(timeIntervalSince1970: 1_764_000_000))
        let out = dir.appendingPathComponent("board")
        func run() throws -> [String: Data] {
            let data = try ReportBuilder(store: store, options: options).build(suites: ["demo"], judge: judge, title: "demo", asOf: "2025-11-24")
            try LeaderboardDirectory(directory: out).write(data)
            var files: [String: Data] = [:]
            for name in ["report.html", "report.md", "ratings.json", "ratings.csv", "history/2025-11-24.json"] {
                files[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            return files
        }
        let first = try run()
        XCTAssertEqual(try run(), first)
    }

    func testAnEmptySuiteIsAClearError() throws {
        let store = try JudgeStore(path: path)
        _ = try store.saveSuite(SuiteDefinition(name: "empty", tasks: [], models: []))
        XCTAssertThrowsError(try ReportBuilder(store: store, options: options).build(suites: ["empty"], judge: judge, title: "e", asOf: "2025-01-01")) {
            XCTAssertEqual("\($0)", "no ratings to report: no resolved comparisons by \(self.judge.description) in suite empty; run `judge compare` first")
        }
    }
}
