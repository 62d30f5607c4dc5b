import Foundation
import GRDB
import XCTest
@testable import Store
import StoreTestSupport

final class JudgeStoreTests: XCTestCase {
    // MARK: - Schema and migrations

    func testMigratesOnOpenAndReportsSchemaVersion() throws {
        forEachBackend { store, backend in
            XCTAssertEqual(try store.schemaVersion, JudgeStore.knownMigrations.last)
            XCTAssertEqual(try store.appliedMigrations, JudgeStore.knownMigrations)
            XCTAssertEqual(Array(JudgeStore.knownMigrations.prefix(3)), ["v1-suites-candidates-judgments", "v2-logprob-verdicts", "v3-judge-sampling-settings"])
            let sql = switch backend {
            case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"
            case .postgres: "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'judge_migrations' ORDER BY tablename"
            }
            let tables = try store.read { db in try db.values(String.self, sql) }
            XCTAssertTrue(Set(["candidate", "item", "judge_batch", "judgment", "model", "suite", "task"]).isSubset(of: tables), "\(tables)")
        }
    }

    func testFileStoreUsesWALAndReopensWithoutMigratingTwice() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try JudgeStore(path: path)
            try store.saveSuite(StoreFixture.definition)
            let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            XCTAssertEqual(mode, "wal")
        }
        let reopened = try JudgeStore(path: path)
        XCTAssertEqual(try reopened.appliedMigrations, JudgeStore.knownMigrations, "each migration applied once")
        XCTAssertEqual(try reopened.suiteNames(), ["demo"])
    }

    static let migrations = JudgeStore.knownMigrations

    /// A v2 store (judged before the judge's temperature and max_tokens were recorded) keeps its judgments
    /// as their own configuration with the settings not recorded; a reader cannot open it until a writer
    /// has brought its schema up to date, and then reads it without changing a byte.
    func testAnOlderStoreKeepsItsJudgmentsApartAndReadersNeverWrite() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-v2-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let pool = try DatabasePool(path: path)
            try JudgeStore.migrator.migrate(pool, upTo: "v2-logprob-verdicts")
            let old = JudgeStore(unmigrated: pool)
            let ids = try old.saveSuite(StoreFixture.definition)
            _ = try old.importCandidates([.init(model: "alpha", itemID: ids.items["dev"]!["d1"]!, output: "a"),
                                          .init(model: "beta", itemID: ids.items["dev"]!["d1"]!, output: "b")])
            let c = try old.currentCandidates(suite: "demo", models: ["alpha", "beta"]).sorted { $0.model < $1.model }
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO judgment (key, item_id, model_a_id, model_b_id, candidate_a_id, candidate_b_id, position,
                        orders_planned, template_id, template_version, judge_model, method, verdict, unparsed, created_at)
                    VALUES ('old', ?, ?, ?, ?, ?, 'ab', 1, 'pairwise', 'v1', 'gpt-4', 'judge', 'A>B', 0, '2025-01-01 00:00:00')
                    """, arguments: [c[0].itemID, c[0].modelID, c[1].modelID, c[0].candidateID, c[1].candidateID])
            }
        }
        XCTAssertThrowsError(try JudgeStore(readingAt: path)) { XCTAssertEqual($0 as? StoreError, .outdatedSchema(path: path)) }
        _ = try JudgeStore(path: path)   // a writer migrates
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let reader = try JudgeStore(readingAt: path)
        let found = try reader.judgeConfigurations(suite: "demo")
        XCTAssertEqual(found.map(\.configuration), [JudgeConfiguration(judgeModel: "gpt-4", templateID: "pairwise", templateVersion: "v1",
                                                                        temperature: nil, maxTokens: nil)])
        var rows = 0
        _ = try reader.judgmentRows(suite: "demo", judge: found[0].configuration) { _ in rows += 1 }
        XCTAssertEqual(rows, 1)
        var recorded = found[0].configuration
        recorded.temperature = 0
        recorded.maxTokens = 1024
        _ = try reader.judgmentRows(suite: "demo", judge: recorded) { _ in XCTFail("a recorded configuration is another judge") }
        XCTAssertThrowsError(try reader.saveSuite(StoreFixture.definition), "a reader cannot write")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
        XCTAssertThrowsError(try JudgeStore(readingAt: path + ".missing")) {
            guard case StoreError.cannotOpen? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
    }

    func testOpeningANonDatabaseFileSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-db-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try String(repeating: "this is not sqlite\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try JudgeStore(path: path)) { error in
            guard case StoreError.cannotOpen(let p, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(p, path)
        }
    }

    // MARK: - Suites

    func testSavingASuiteTwiceUpdatesInPlace() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi"]])
            var changed = StoreFixture.definition
            changed.tasks[0].items[0].prompt = "Say hello."
            changed.tasks[1].heldOut = false
            let again = try fixture.store.saveSuite(changed)
            XCTAssertEqual(again, fixture.ids, "same rows, same ids")
            let item = try fixture.store.read { db in try db.fetchOne(ItemRecord.self, "SELECT * FROM item WHERE id = ?", [fixture.itemID("dev/d1")]) }
            XCTAssertEqual(item?.prompt, "Say hello.")
            XCTAssertEqual(try fixture.store.suiteIDs("demo"), fixture.ids)
            XCTAssertThrowsError(try fixture.store.suiteIDs("nope")) { XCTAssertEqual($0 as? StoreError, .unknownSuite("nope")) }
        }
    }

    // MARK: - Candidates

    func testImportIsIdempotentAndAChangedOutputBecomesCurrent() throws {
        forEachBackend { store, _ in
            let fixture = try StoreFixture(store: store)
            let d1 = fixture.itemID("dev/d1")
            var summary = try fixture.store.importCandidates([.init(model: "alpha", itemID: d1, output: "one"),
                                                              .init(model: "delta", itemID: d1, output: "x")])
            XCTAssertEqual(summary.added, 2)
            XCTAssertEqual(summary.newModels, ["delta"])
            summary = try fixture.store.importCandidates([.init(model: "alpha", itemID: d1, output: "one")])
            XCTAssertEqual(summary.unchanged, 1)
            summary = try fixture.store.importCandidates([.init(model: "alpha", itemID: d1, output: "two")])
            XCTAssertEqual(summary.replaced, 1)
            XCTAssertEqual(try fixture.store.currentCandidates(suite: "demo", models: ["alpha"]).map(\.output), ["two"])
            // Back to the first text: its old row becomes current again (no duplicate row).
            summary = try fixture.store.importCandidates([.init(model: "alpha", itemID: d1, output: "one")])
            XCTAssertEqual(summary.replaced, 1)
            XCTAssertEqual(try fixture.store.currentCandidates(suite: "demo", models: ["alpha"]).map(\.output), ["one"])
            let rows = try fixture.store.read { db in try db.value(Int.self, "SELECT COUNT(*) FROM candidate") }
            XCTAssertEqual(rows, 3)
        }
    }

    func testSavedCandidatesAreKeyedBySettingsAndTheNewestIsCurrent() throws {
        forEachBackend { store, _ in
            let fixture = try StoreFixture(store: store)
            let model = try fixture.store.saveModel(name: "smol", kind: "local", spec: #"{"path":"/m.gguf"}"#)
            XCTAssertEqual(model.kind, "local")
            let item = fixture.itemID("dev/d1")
            func generated(_ output: String, key: String) -> CandidateRecord {
                CandidateRecord(modelID: model.id!, itemID: item, output: output, contentKey: key, source: "local", settings: #"{"temperature":0}"#)
            }
            XCTAssertNil(try fixture.store.candidate(modelID: model.id!, itemID: item, contentKey: "settings-1"))
            let first = try fixture.store.saveCandidate(generated("hi", key: "settings-1"))
            XCTAssertEqual(first.revision, 1)
            XCTAssertEqual(try fixture.store.candidate(modelID: model.id!, itemID: item, contentKey: "settings-1")?.output, "hi")
            let second = try fixture.store.saveCandidate(generated("hello", key: "settings-2"))
            XCTAssertEqual(second.revision, 2)
            XCTAssertEqual(try fixture.store.currentCandidates(suite: "demo", models: ["smol"]).map(\.output), ["hello"])
            // Back to the first settings: the stored row is reused and becomes current again.
            let again = try fixture.store.saveCandidate(generated("ignored: the key is already stored", key: "settings-1"))
            XCTAssertEqual(again.id, first.id)
            XCTAssertEqual(again.output, "hi")
            XCTAssertEqual(again.revision, 3)
            XCTAssertEqual(try fixture.store.currentCandidates(suite: "demo", models: ["smol"]).map(\.output), ["hi"])
            XCTAssertEqual(try fixture.store.currentCandidates(suite: "demo", models: ["smol"], tasks: ["held"]).count, 0)
        }
    }

    func testCandidateKeyIsUnique() throws {
        forEachBackend { store, _ in
            let fixture = try StoreFixture(store: store)
            _ = try fixture.store.importCandidates([.init(model: "alpha", itemID: fixture.itemID("dev/d1"), output: "one")])
            XCTAssertThrowsError(try fixture.store.write { db in
                var duplicate = CandidateRecord(modelID: fixture.ids.models["alpha"]!, itemID: fixture.itemID("dev/d1"),
                                                output: "one", contentKey: JudgeStore.importKey("one"), source: "import", revision: 9)
                try db.insert(&duplicate)
            })
        }
    }

    // MARK: - Judgments: exactly once by key

    func testJudgmentKeyIsUniqueAndASettledVerdictIsNeverReplaced() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi"], "beta": ["dev/d1": "hello"]])
            let first = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter)
            XCTAssertTrue(try fixture.store.saveVerdict(first))
            var second = first
            second.verdict = .bBetter
            XCTAssertFalse(try fixture.store.saveVerdict(second), "a settled key keeps its verdict")
            XCTAssertEqual(try fixture.store.judgment(forKey: first.key)?.verdict, .aBetter)
            // The schema itself refuses a second row with the same key.
            XCTAssertThrowsError(try fixture.store.write { db in var row = second; row.id = nil; try db.insert(&row) })
            XCTAssertEqual(try fixture.store.judgmentCounts().total, 1)
        }
    }

    func testAFailedJudgmentIsRetriedAndReplaced() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi"], "beta": ["dev/d1": "hello"]])
            let failed = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: nil, error: "timed out")
            try fixture.store.saveVerdict(failed)
            XCTAssertTrue(try fixture.store.settledKeys(among: [failed.key]).isEmpty, "failures are not settled")
            let retried = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .tie)
            XCTAssertEqual(retried.key, failed.key)
            XCTAssertTrue(try fixture.store.saveVerdict(retried))
            XCTAssertEqual(try fixture.store.settledKeys(among: [failed.key]), [failed.key])
            XCTAssertEqual(try fixture.store.judgmentCounts().total, 1)
            XCTAssertEqual(try fixture.store.judgmentCounts().failed, 0)
        }
    }

    func testSchemaRejectsAJudgmentInNoStateOrTwo() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi"], "beta": ["dev/d1": "hello"]])
            let none = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: nil)
            XCTAssertThrowsError(try fixture.store.saveVerdict(none))
            var both = fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: .aBetter)
            both.error = "and failed"
            XCTAssertThrowsError(try fixture.store.saveVerdict(both))
        }
    }

    func testJudgmentsByItemAndBySuite() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi", "held/h1": "x"], "beta": ["dev/d1": "hello", "held/h1": "y"]])
            let ab = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter)
            let ba = fixture.judgment("dev/d1", "alpha", "beta", .ba, verdict: nil, error: "HTTP 503")
            let held = fixture.judgment("held/h1", "alpha", "beta", .ab, verdict: .tie)
            XCTAssertEqual(try fixture.store.saveVerdicts([ab, ba, held]), 3)
            XCTAssertEqual(try fixture.store.verdicts(for: fixture.itemID("dev/d1")).map(\.key), [ab.key, ba.key])
            XCTAssertEqual(try fixture.store.judgments(suite: "demo").count, 3)
            XCTAssertEqual(try fixture.store.judgments(suite: "demo").first?.canonicalVerdict, .aBetter)
            XCTAssertThrowsError(try fixture.store.judgments(suite: "nope"))
        }
    }

    func testSettledKeysHandlesManyKeys() throws {
        forEachBackend { store, _ in
            var fixture = try StoreFixture(store: store)
            try fixture.importOutputs(["alpha": ["dev/d1": "hi"], "beta": ["dev/d1": "hello"]])
            let stored = fixture.judgment("dev/d1", "alpha", "beta", .ab, verdict: .aBetter)
            try fixture.store.saveVerdict(stored)
            let keys = (0..<1_700).map { "missing-\($0)" } + [stored.key]
            XCTAssertEqual(try fixture.store.settledKeys(among: keys), [stored.key])
        }
    }
}
