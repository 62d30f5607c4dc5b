import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Work claimed by one of several workers sharing a store (River's and Oban's way, on both backends).
///
/// A unit of work is a row of `job`, unique by its key (a judgment key): ``enqueue(scope:keys:)`` twice is a
/// no-op. A worker claims a few rows at a time with a lease — `UPDATE … WHERE id IN (SELECT … FOR UPDATE
/// SKIP LOCKED)` on PostgreSQL, so no two workers take the same row and none waits on another's lock; SQLite
/// serializes writers itself — and renews its leases while it works. A worker that dies (kill -9) stops
/// renewing; once its leases pass their deadline, ``claim(scope:owner:limit:lease:)`` hands the rows to
/// whoever asks next. Deadlines are in the store's clock (PostgreSQL's `clock_timestamp()`), so workers on
/// machines with different clocks agree on them.
extension JudgeStore {
    /// Adds the keys to the work of `scope` (a key already there is left alone, unless it was finished
    /// without being settled — a failed call — and is free: then it is opened again). Returns how many rows
    /// were added or reopened.
    @discardableResult
    public func enqueue(scope: String, keys: [String]) throws -> Int {
        try write { db in
            let now = try Self.storeMillis(db, backend: backendKind)
            var changed = 0
            for start in stride(from: 0, to: keys.count, by: 200) {
                let chunk = keys[start..<min(start + 200, keys.count)]
                var arguments: [DatabaseValue] = []
                for key in chunk { arguments += [scope.databaseValue, key.databaseValue] }
                arguments.append(now.databaseValue)
                changed += try db.execute("""
                    INSERT INTO job (scope, key) VALUES \(Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", "))
                    ON CONFLICT (key) DO UPDATE SET finished = 0, scope = excluded.scope
                    WHERE job.finished = 1 AND (job.owner IS NULL OR job.lease_until < ?)
                    """, arguments)
            }
            return changed
        }
    }

    /// Claims up to `limit` unfinished rows of `scope` that nobody holds (or whose lease has expired) for
    /// `owner`, until `lease` from now; returns their keys, oldest first.
    public func claim(scope: String, owner: String, limit: Int, lease: Duration) throws -> [String] {
        try write { db in
            let now = try Self.storeMillis(db, backend: backendKind)
            let lock = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
            let claimed = try db.rows("""
                UPDATE job SET owner = ?, lease_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM job WHERE scope = ? AND finished = 0 AND (owner IS NULL OR lease_until < ?)
                             ORDER BY id LIMIT ?\(lock))
                RETURNING id, key
                """, [owner, now + Self.millis(lease), scope, now, limit])
            // RETURNING gives no order: oldest first, as claimed.
            return claimed.map { (id: $0["id"] as Int64, key: $0["key"] as String) }.sorted { $0.id < $1.id }.map(\.key)
        }
    }

    /// Pushes the deadline of every unfinished row `owner` holds to `lease` from now; returns how many.
    @discardableResult
    public func renewLeases(owner: String, lease: Duration) throws -> Int {
        try write { db in
            let now = try Self.storeMillis(db, backend: backendKind)
            return try db.execute("UPDATE job SET lease_until = ? WHERE owner = ? AND finished = 0",
                                  [now + Self.millis(lease), owner])
        }
    }

    /// Renews `owner`'s leases every third of `lease` until the returned task is cancelled: a worker's sign of
    /// life while it works (cancel it when the work ends; a killed worker stops renewing by itself).
    public func leaseHeartbeat(owner: String, lease: Duration) -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: lease / 3)
                if Task.isCancelled { break }
                _ = try? renewLeases(owner: owner, lease: lease)
            }
        }
    }

    /// Marks `keys` done by `owner` (whatever the outcome: a failed call is retried by the next run).
    public func finish(keys: [String], owner: String) throws {
        try write { db in
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                try db.execute("UPDATE job SET finished = 1, owner = NULL, lease_until = NULL WHERE owner = ? AND key IN (\(placeholders(chunk.count)))",
                               [owner] + chunk.map { $0 as (any DatabaseValueConvertible)? })
            }
        }
    }

    /// Gives back every unfinished row `owner` holds (a worker stopping cleanly, e.g. on Ctrl-C).
    public func releaseLeases(owner: String) throws {
        _ = try write { db in
            try db.execute("UPDATE job SET owner = NULL, lease_until = NULL WHERE owner = ? AND finished = 0", [owner])
        }
    }

    /// Frees at once the leases of workers that ran on this machine and whose process is gone (killed, or
    /// crashed), so a restarted run need not wait for their leases to expire. Owners are named
    /// `HOST/PID/RANDOM`; workers elsewhere, and `except` (the caller), are left to their leases' deadlines.
    public func releaseLeasesOfDeadLocalWorkers(scope: String, except: String) throws {
        let host = ProcessInfo.processInfo.hostName
        for holder in try leaseHolders(scope: scope) where holder != except {
            let parts = holder.split(separator: "/")
            guard parts.count == 3, parts[0] == host, let pid = Int32(parts[1]) else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { try releaseLeases(owner: holder) }
        }
    }

    /// The owners holding unfinished rows of `scope`.
    public func leaseHolders(scope: String) throws -> [String] {
        try read { db in
            try db.values(String.self, "SELECT DISTINCT owner FROM job WHERE scope = ? AND finished = 0 AND owner IS NOT NULL ORDER BY owner", [scope])
        }
    }

    /// Rows of `scope` not finished: held by a live worker, waiting, or held by a dead one until its lease ends.
    public func unfinishedJobs(scope: String) throws -> Int {
        try read { db in try db.value(Int.self, "SELECT COUNT(*) FROM job WHERE scope = ? AND finished = 0", [scope]) ?? 0 }
    }

    /// How many claims each key of `scope` took (1 for work done once; more where a lease expired).
    public func jobAttempts(scope: String) throws -> [String: Int] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try db.rows("SELECT key, attempts FROM job WHERE scope = ?", [scope]).map {
                (String.fromDatabaseValue($0["key"] as DatabaseValue) ?? "", Int.fromDatabaseValue($0["attempts"] as DatabaseValue) ?? 0)
            })
        }
    }

    // MARK: - Clock

    enum BackendKind { case sqlite, postgres }
    var backendKind: BackendKind { isPostgres ? .postgres : .sqlite }

    /// Now, in milliseconds since 1970, by the store's clock: the server's for PostgreSQL (shared by every
    /// machine), this machine's for SQLite (whose workers share the machine).
    static func storeMillis(_ db: any StoreDatabase, backend: BackendKind) throws -> Int64 {
        switch backend {
        case .sqlite: return Int64((Date().timeIntervalSince1970 * 1000).rounded())
        case .postgres:
            return try db.value(Int64.self, "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)") ?? 0
        }
    }

    static func millis(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
