import Foundation
import GRDB
import XCTest
@testable import Store
import StoreTestSupport
import TestSupport

/// `judge store copy`: SQLite → PostgreSQL → SQLite loses nothing, and copying again adds nothing.
final class StoreCopyTests: XCTestCase {
    func testRoundTripThroughPostgresIsLosslessAndIdempotent() throws {
        var fixture = try StoreFixture()
        try fixture.importOutputs(["alpha": ["dev/d1": "hi", "held/h1": "x"], "beta": ["dev/d1": "hello ünïcödé 🎉", "held/h1": "y"],
                                   "gamma": ["dev/d1": "hey"]])
        var logprob = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter)
        logprob.verdictProbabilities = VerdictProbabilities(a: 0.7, b: 0.2, tie: 0.1, mass: 0.99, topCount: 20)
        let judgments = [
            logprob,
            fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: nil, error: "HTTP 503"),
            fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: nil, unparsed: true),
            fixture.judgment("dev/d1", "alpha", "gamma", .ab, verdict: .tie),
        ]
        try fixture.store.saveVerdicts(judgments)
        try fixture.store.saveBatch(JudgeBatchRecord(batchID: "batch_1", inputFileID: "file-1", endpoint: "http://x/v1",
                                                     judgeModel: "judge-1", status: "in_progress", keys: [judgments[0].key]))
        let original = try fixture.store.dump()
        XCTAssertEqual(original["judgment"]?.count, 4)

        let postgres = try JudgeStore.open(try PostgresTestServer.shared().createDatabase())
        let there = try postgres.copy(from: fixture.store)
        XCTAssertEqual(there.tables.map(\.added), there.tables.map(\.read))
        XCTAssertEqual(try postgres.dump(), original, "SQLite → PostgreSQL")
        let again = try postgres.copy(from: fixture.store)
        XCTAssertEqual(again.tables.map(\.added), Array(repeating: 0, count: JudgeStore.copiedTables.count), "idempotent")

        let back = try JudgeStore.inMemory()
        try back.copy(from: postgres)
        XCTAssertEqual(try back.dump(), original, "PostgreSQL → SQLite")
        // The copies are live stores: new rows get new ids after the copied ones.
        let model = try postgres.saveModel(name: "delta")
        XCTAssertGreaterThan(model.id!, fixture.ids.models.values.max()!)
        XCTAssertEqual(try postgres.judgment(forKey: judgments[0].key)?.verdictProbabilities, logprob.verdictProbabilities)
    }
}
