import Foundation
import XCTest
import Rank
import Store
@testable import Comparisons

/// The store → Rank mapping (`Comparison.init(_:)` for records and counted groups), on a store
/// filled through Store's API: graded verdicts, ties, both orders, single-order plans, unparsed
/// and failed judgments, two tasks. The rows record no sampling settings, as rows stored before
/// schema v3 do: they are read as the configuration whose settings are not recorded.
final class ComparisonMappingTests: XCTestCase {
    private var store: JudgeStore!
    private var ids: SuiteIDs!
    private var candidates: [String: [Int64: CurrentCandidate]] = [:]   // model → item id → candidate
    private var n = 0
    private let judge = JudgeConfiguration(judgeModel: "judge", templateID: "graded", templateVersion: "1",
                                           temperature: nil, maxTokens: nil)

    override func setUpWithError() throws {
        store = try JudgeStore.inMemory()
        ids = try store.saveSuite(SuiteDefinition(
            name: "demo", tasks: [
                .init(name: "code", heldOut: false, items: (0..<4).map { .init(id: "c\($0)", prompt: "Code \($0)?") }),
                .init(name: "prose", heldOut: true, items: (0..<2).map { .init(id: "p\($0)", prompt: "Prose \($0)?") }),
            ],
            models: ["ant", "bee", "cat"].map { .init(name: $0) }))
        var imports: [CandidateImport] = []
        for (_, items) in ids.items {
            for (_, itemID) in items {
                for (k, m) in ["ant", "bee", "cat"].enumerated() {
                    imports.append(CandidateImport(model: m, itemID: itemID, output: "\(m) answer " + String(repeating: "x", count: k * 3)))
                }
            }
        }
        _ = try store.importCandidates(imports)
        for c in try store.currentCandidates(suite: "demo", models: ["ant", "bee", "cat"]) {
            candidates[c.model, default: [:]][c.itemID] = c
        }
    }

    /// Saves one judgment of canonical pair (a, b) on `task/item`, shown in `position`, presented `verdict`.
    private func judge(_ task: String, _ item: String, _ a: String, _ b: String, _ position: JudgmentRecord.Position,
                       _ verdict: Verdict?, planned: Int = 2, unparsed: Bool = false, error: String? = nil) throws {
        n += 1
        let itemID = ids.items[task]![item]!
        let ca = candidates[a]![itemID]!, cb = candidates[b]![itemID]!
        try store.saveVerdict(JudgmentRecord(
            key: "k\(n)", itemID: itemID, modelAID: ca.modelID, modelBID: cb.modelID,
            candidateAID: ca.candidateID, candidateBID: cb.candidateID, position: position, ordersPlanned: planned,
            templateID: "graded", templateVersion: "1", judgeModel: "judge",
            rawReply: verdict.map { "[[\($0.rawValue)]]" } ?? (unparsed ? "no verdict" : nil),
            verdict: verdict, unparsed: unparsed, error: error))
    }

    private func fill() throws {
        // code/c0 ant–bee: both orders say ant ≫ bee → A>>B.
        try judge("code", "c0", "ant", "bee", .ab, .aMuchBetter)
        try judge("code", "c0", "ant", "bee", .ba, .bMuchBetter)
        // code/c1 ant–bee: ≫ and > → A>B (strong only when both orders say so).
        try judge("code", "c1", "ant", "bee", .ab, .aMuchBetter)
        try judge("code", "c1", "ant", "bee", .ba, .bBetter)
        // code/c2 ant–bee: the first-shown answer wins twice → disagreement → tie.
        try judge("code", "c2", "ant", "bee", .ab, .aBetter)
        try judge("code", "c2", "ant", "bee", .ba, .aBetter)
        // code/c3 bee–cat: an agreed tie.
        try judge("code", "c3", "bee", "cat", .ab, .tie)
        try judge("code", "c3", "bee", "cat", .ba, .tie)
        // code/c3 ant–cat: cat ≫ ant in both orders → B>>A.
        try judge("code", "c3", "ant", "cat", .ab, .bMuchBetter)
        try judge("code", "c3", "ant", "cat", .ba, .aMuchBetter)
        // code/c0 bee–cat: one order unparsed → no comparison. code/c1 bee–cat: one failed → none.
        try judge("code", "c0", "bee", "cat", .ab, nil, unparsed: true)
        try judge("code", "c0", "bee", "cat", .ba, .aBetter)
        try judge("code", "c1", "bee", "cat", .ab, .bBetter)
        try judge("code", "c1", "bee", "cat", .ba, nil, error: "HTTP 500")
        // prose/p0, p1 ant–cat: a single-order plan, cat shown first and preferred → B>A, twice.
        try judge("prose", "p0", "ant", "cat", .ba, .aBetter, planned: 1)
        try judge("prose", "p1", "ant", "cat", .ba, .aBetter, planned: 1)
    }

    func testRecordsMapVerdictTaskAndLengths() throws {
        try fill()
        let mapped = try ComparisonReader(store: store).comparisons(suite: "demo", judge: judge).map(Comparison.init)
        let described = mapped.map { "\($0.task ?? "-") \($0.modelA)-\($0.modelB) \($0.outcome.rawValue)" }
        XCTAssertEqual(described, [
            "code ant-bee A>>B", "code ant-bee A>B", "code ant-bee A=B",
            "code ant-cat B>>A", "code bee-cat A=B",
            "prose ant-cat B>A", "prose ant-cat B>A",
        ])
        XCTAssertTrue(mapped.allSatisfy { $0.count == 1 })
        // Output lengths in characters: "ant answer " (11), "bee answer xxx" (14), "cat answer xxxxxx" (17).
        XCTAssertEqual(mapped[0].lengthA, 11)
        XCTAssertEqual(mapped[0].lengthB, 14)
        XCTAssertEqual(mapped[3].lengthB, 17)
    }

    func testGroupsMapWithCountsAndRateLikeTheRecords() throws {
        try fill()
        let summary = try ComparisonReader(store: store).summary(suites: ["demo"], judge: judge, sampleLimit: 0)
        let grouped = summary.groups.map(Comparison.init)
        XCTAssertEqual(grouped.map { "\($0.task ?? "-") \($0.modelA)-\($0.modelB) \($0.outcome.rawValue) ×\($0.count)" }, [
            "code ant-bee A>>B ×1", "code ant-bee A>B ×1", "code ant-bee A=B ×1",
            "code ant-cat B>>A ×1", "code bee-cat A=B ×1",
            "prose ant-cat B>A ×2",
        ])
        XCTAssertTrue(grouped.allSatisfy { $0.lengthA == nil && $0.lengthB == nil })
        XCTAssertEqual(summary.health.unparsed, 1)
        XCTAssertEqual(summary.health.failed, 1)
        XCTAssertEqual(summary.health.unresolvedComparisons, 2, "unparsed and failed orders are excluded, not ties")

        // The same ratings, counts and intervals from the groups as from the individual records.
        var options = RatingOptions()
        options.bootstrapRounds = 0
        let records = try ComparisonReader(store: store).comparisons(suite: "demo", judge: judge).map(Comparison.init)
        let fromRecords = try Ranker(options: options).leaderboard(records)
        let fromGroups = try Ranker(options: options).leaderboard(grouped)
        XCTAssertEqual(fromGroups.rows.map(\.model), fromRecords.rows.map(\.model))
        for (g, r) in zip(fromGroups.rows, fromRecords.rows) {
            XCTAssertEqual(g.rating, r.rating, accuracy: 1e-9)
            XCTAssertEqual([g.comparisons, g.wins, g.losses, g.ties], [r.comparisons, r.wins, r.losses, r.ties])
        }
        // Graded verdicts carry their weight: ant's ≫ win over bee counts strongWinWeight (3) wins.
        var unweighted = options
        unweighted.strongWinWeight = 1
        let flat = try Ranker(options: unweighted).leaderboard(grouped)
        XCTAssertGreaterThan(fromGroups.row("ant")!.rating - fromGroups.row("bee")!.rating,
                             flat.row("ant")!.rating - flat.row("bee")!.rating)
    }

    func testPerTaskBoardsFromGroups() throws {
        try fill()
        let grouped = try ComparisonReader(store: store).summary(suites: ["demo"], judge: judge, sampleLimit: 0).groups.map(Comparison.init)
        var options = RatingOptions()
        options.bootstrapRounds = 0
        let boards = try Ranker(options: options).leaderboardsPerTask(grouped)
        XCTAssertEqual(boards.map(\.task), ["code", "prose"])
        XCTAssertEqual(boards[1].comparisons, 2)
        XCTAssertEqual(boards[1].rows.map(\.model), ["cat", "ant"])
        XCTAssertEqual(boards[1].rows[0].wins, 2)
    }

    func testEveryVerdictMapsOntoTheSameOutcome() {
        for verdict in Verdict.allCases { XCTAssertEqual(Outcome(verdict).rawValue, verdict.rawValue) }
    }
}
