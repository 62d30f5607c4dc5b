import Foundation
import GRDB
import XCTest
@testable import Store

final class JudgeStoreTests: XCTestCase {
    // MARK: - Schema and migrations

    func testMigratesOnOpenAndReportsSchemaVersion() throws {
        forEachBackend { store, backend in
            XCTAssertEqual(try store.schemaVersion, JudgeStore.knownMigrations.last)
            XCTAssertEqual(try store.appliedMigrations, JudgeStore.knownMigrations)
            XCTAssertEqual(Array(JudgeStore.knownMigrations.prefix(3)), ["v1-suites-candidates-judgments", "v2-logprob-verdicts", "v3-judge-batches"])
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
            var fixture = try StoreFixture(store: store)
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
            var fixture = try StoreFixture(store: store)
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
            var fixture = try StoreFixture(store: store)
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
