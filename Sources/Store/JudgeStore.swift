import Foundation
import GRDB

/// The SQLite store of everything judge knows: suites, tasks, items, models, candidate outputs, judgments.
///
/// One store owns one database writer and migrates the schema in its initializer. The tool opens a
/// file (``init(path:)``: a `DatabasePool` in WAL mode, so readers never block the writer); tests use
/// ``inMemory()``. Every write is its own short transaction, so a process killed at any instant
/// (kill -9) leaves a consistent database holding every verdict committed before the kill.
///
/// ```swift
/// let store = try JudgeStore(path: "judge.sqlite")
/// let ids = try store.saveSuite(definition)
/// try store.saveVerdict(judgment)
/// let configurations = try store.judgeConfigurations(suite: "demo")
/// ```
///
/// Reading for ratings and reports: the comparison stage (module `Comparisons`) reads one judge
/// configuration's rows with ``judgmentRows(suite:task:judge:_:)`` and resolves them; the store only fetches.
public struct JudgeStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file cannot be opened or is not a judge store.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: a commit is durable against a killed process (kill -9) — the WAL
        // is in the OS's hands — and costs no fsync; only a power loss can lose the last commits, which
        // a rerun re-sends. With FULL, one fsync per verdict would cap a run at the disk's fsync rate.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try self.init(writer: pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Opens the existing store at `path` for reading only: nothing is created, migrated or written.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when there is no such store, and
    ///   ``StoreError/outdatedSchema(path:)`` when its schema is older than this judge's (a writer upgrades it).
    public init(readingAt path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        let current = try? pool.read { db in try Self.migrator.hasCompletedMigrations(db) }
        guard current == true else { throw StoreError.outdatedSchema(path: path) }
        self.writer = pool
    }

    /// A fresh store in memory, for tests.
    public static func inMemory() throws -> JudgeStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try JudgeStore(writer: DatabaseQueue(configuration: configuration))
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// A store over `writer` as it is, not migrated (tests of older schemas).
    init(unmigrated writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// The identifier of the newest migration applied: the schema version (`v1-…`).
    public var schemaVersion: String {
        get throws {
            try writer.read { db in try Self.migrator.appliedMigrations(db).last ?? "none" }
        }
    }

    /// Every migration applied, oldest first.
    public var appliedMigrations: [String] {
        get throws { try writer.read { db in try Self.migrator.appliedMigrations(db) } }
    }
}

/// Why the store could not do what was asked.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unknownSuite(String)
    case unknownModel(String)
    case missingRow(String)
    case outdatedSchema(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the store \(path): \(reason) (is it a judge SQLite file, and is its folder writable?)"
        case .unknownSuite(let name):
            "the store holds no suite named \"\(name)\" (run `judge import --suite SUITE.yaml` or `judge compare SUITE.yaml` first)"
        case .unknownModel(let name):
            "the store holds no model named \"\(name)\""
        case .missingRow(let what):
            "the store has no \(what) (was it changed while being read?)"
        case .outdatedSchema(let path):
            "the store \(path) was written by an older judge; run `judge compare` on it once to bring its schema up to date (readers never change a store)"
        }
    }
}
