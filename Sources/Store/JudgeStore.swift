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
    /// Where the rows live: a SQLite file (or memory) through GRDB, or a PostgreSQL database shared by a
    /// team's workers. Both hold the same schema and answer the same API.
    enum Backend: Sendable {
        case sqlite(any DatabaseWriter)
        case postgres(PostgresSession)
    }

    let backend: Backend

    /// `path`, or — for `postgres://USER@HOST:PORT/DB` — the PostgreSQL database there.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``, ``StoreError/unreachable(_:reason:)`` (one line naming
    ///   the host and the cause; nothing is written), ``StoreError/schemaTooNew(location:store:binary:)``.
    public static func open(_ location: String) throws -> JudgeStore {
        if PostgresLocation.isPostgresURL(location) { return try JudgeStore(postgres: PostgresLocation(url: location)) }
        return try JudgeStore(path: location)
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file cannot be opened or is not a judge store.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: a commit is durable against a killed process (kill -9) — the WAL
        // is in the OS's hands — and costs no fsync; only a power loss can lose the last commits, which
        // a rerun re-sends. With FULL, one fsync per verdict would cap a run at the disk's fsync rate.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            let pool = try Self.openPool(path, configuration)
            try self.init(writer: pool, location: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// How long a statement waits for another process's lock before "database is locked".
    static let busyTimeout: TimeInterval = 10

    /// A pool on `path`, also while other processes open the same new file: switching a new file to WAL takes an
    /// exclusive lock without waiting on the busy timeout, so a worker starting beside another got "database is
    /// locked" (`ConcurrentOpenTests`). It tries again for up to ``busyTimeout``, as the busy timeout would have waited.
    private static func openPool(_ path: String, _ configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// The PostgreSQL database at `location`, its schema brought up to date (under an advisory lock, so
    /// workers starting together migrate once).
    public init(postgres location: PostgresLocation) throws {
        let session = try PostgresSession(location)
        try PostgresSchema.migrate(session)
        backend = .postgres(session)
    }

    /// Opens the existing store at `path` for reading only: nothing is created, migrated or written.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when there is no such store, and
    ///   ``StoreError/outdatedSchema(path:)`` when its schema is older than this judge's (a writer upgrades it).
    public init(readingAt path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        let current = try? pool.read { db in try Self.migrator.hasCompletedMigrations(db) }
        guard current == true else { throw StoreError.outdatedSchema(path: path) }
        try Self.refuseNewerSchema(pool, location: path)
        backend = .sqlite(pool)
    }

    /// A fresh store in memory, for tests.
    public static func inMemory() throws -> JudgeStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try JudgeStore(writer: DatabaseQueue(configuration: configuration), location: ":memory:")
    }

    init(writer: any DatabaseWriter, location: String) throws {
        try Self.refuseNewerSchema(writer, location: location)
        try Self.migrate(writer)
        backend = .sqlite(writer)
    }

    /// Where the store is, for messages (a PostgreSQL location without its password).
    public var location: String {
        switch backend {
        case .sqlite(let writer): (writer as? DatabasePool)?.path ?? ":memory:"
        case .postgres(let session): session.location.description
        }
    }

    /// Whether the rows live in PostgreSQL.
    public var isPostgres: Bool { if case .postgres = backend { true } else { false } }

    // MARK: - Transactions

    /// Runs `body` in one write transaction (all or nothing) on either backend.
    func write<T>(_ body: (any StoreDatabase) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let writer): try writer.write { db in try body(db) }
        case .postgres(let session): try session.transaction { try body(session) }
        }
    }

    /// One write transaction that also waits for every other such transaction on the store (PostgreSQL's
    /// `pg_advisory_xact_lock`; SQLite's writers queue anyway): for read-then-write steps — saving a suite,
    /// a model, a candidate — that workers starting together would otherwise race on.
    func serializedWrite<T>(_ body: (any StoreDatabase) throws -> T) throws -> T {
        try write { db in
            if isPostgres { _ = try db.rows("SELECT pg_advisory_xact_lock(?)", [PostgresSchema.lockKey + 1]) }
            return try body(db)
        }
    }

    /// Runs `body` with a consistent view of the store.
    func read<T>(_ body: (any StoreDatabase) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let writer): try writer.read { db in try body(db) }
        case .postgres(let session): try session.transaction { try body(session) }
        }
    }

    /// The SQLite writer, for the reads not yet written for both backends.
    var writer: any DatabaseWriter {
        get throws {
            guard case .sqlite(let writer) = backend else {
                throw StoreError.postgres(location, reason: "this read is not available on PostgreSQL yet")
            }
            return writer
        }
    }

    /// A store over `writer` as it is, not migrated (tests of older schemas).
    init(unmigrated writer: any DatabaseWriter) {
        backend = .sqlite(writer)
    }

    /// The identifier of the newest migration applied: the schema version (`v1-…`).
    public var schemaVersion: String {
        get throws { try appliedMigrations.last ?? "none" }
    }

    /// Every migration applied, oldest first.
    public var appliedMigrations: [String] {
        get throws {
            switch backend {
            case .sqlite(let writer): try writer.read { db in try Self.migrator.appliedMigrations(db) }
            case .postgres(let session): try PostgresSchema.applied(session)
            }
        }
    }

    /// The schema identifiers this binary knows, oldest first.
    public static var knownMigrations: [String] { migrator.migrations }
}

/// Why the store could not do what was asked.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unknownSuite(String)
    case unknownModel(String)
    /// `--db` / `JUDGE_DB` is not a usable location.
    case badLocation(String, reason: String)
    /// The PostgreSQL server could not be reached or refused the login (`location` has no password).
    case unreachable(String, reason: String)
    /// A PostgreSQL statement failed.
    case postgres(String, reason: String)
    /// The store was migrated by a newer judge: this binary must not write to it.
    case schemaTooNew(location: String, store: String, binary: String)
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
        case .badLocation(let location, let reason):
            "--db \(location): \(reason)"
        case .unreachable(let location, let reason):
            "cannot open the store \(location): \(reason)"
        case .postgres(let location, let reason):
            "the store \(location) failed: \(reason)"
        case .schemaTooNew(let location, let store, let binary):
            "the store \(location) has schema \(store), newer than this judge's \(binary): upgrade judge before using it (nothing was written)"
        case .missingRow(let what):
            "the store has no \(what) (was it changed while being read?)"
        case .outdatedSchema(let path):
            "the store \(path) was written by an older judge; run `judge compare` on it once to bring its schema up to date (readers never change a store)"
        }
    }
}
