import Foundation
import GRDB

/// What `judge store copy` moved.
public struct StoreCopySummary: Sendable, Hashable, CustomStringConvertible {
    /// Per table, in copy order: rows read from the source, and rows the destination did not have yet.
    public var tables: [(table: String, read: Int, added: Int)] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.tables.map(\.table) == b.tables.map(\.table) && a.tables.map(\.read) == b.tables.map(\.read)
            && a.tables.map(\.added) == b.tables.map(\.added)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(tables.map(\.added)) }

    public var description: String {
        tables.map { "\($0.table): \($0.read) rows, \($0.added) added" }.joined(separator: "\n")
    }
}

extension JudgeStore {
    /// The tables of a store's data, parents first; `job` (work in progress, leases) is not data and is not copied.
    static let copiedTables = ["suite", "task", "item", "model", "candidate", "judgment", "judge_batch"]

    /// Copies every row of `source` into this store, ids included, a page at a time (each page one
    /// transaction). Idempotent: a row whose id (or unique key) is already here is left as it is, so copying
    /// again — or resuming an interrupted copy — adds only what is missing. Both stores must be at the same
    /// schema version.
    @discardableResult
    public func copy(from source: JudgeStore, pageSize: Int = 500) throws -> StoreCopySummary {
        let (mine, theirs) = (try appliedMigrations, try source.appliedMigrations)
        guard mine == theirs else {
            throw StoreError.badLocation(source.location, reason: "its schema (\(theirs.last ?? "none")) differs from \(location)'s (\(mine.last ?? "none")); open both with this judge first")
        }
        var summary = StoreCopySummary()
        for table in Self.copiedTables {
            var read = 0, added = 0
            var after: Int64 = 0
            while true {
                let rows = try source.read { db in
                    try db.rows("SELECT * FROM \(table) WHERE id > ? ORDER BY id LIMIT ?", [after, pageSize])
                }
                guard let last = rows.last else { break }
                added += try write { db in try Self.insertIgnoringPresent(db, table: table, rows: rows) }
                read += rows.count
                after = last["id"]
            }
            if isPostgres { try write { db in try Self.advanceIdentity(db, table: table) } }
            summary.tables.append((table, read, added))
        }
        return summary
    }

    /// Inserts rows (all with the same columns) in one statement; present ones are skipped.
    private static func insertIgnoringPresent(_ db: any StoreDatabase, table: String, rows: [Row]) throws -> Int {
        let columns = Array(rows[0].columnNames).sorted()
        let values: [DatabaseValue] = rows.flatMap { row in columns.map { row[$0] as DatabaseValue } }
        let tuple = "(\(placeholders(columns.count)))"
        return try db.execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                              + Array(repeating: tuple, count: rows.count).joined(separator: ", ") + " ON CONFLICT DO NOTHING",
                              values)
    }

    /// After explicit ids, PostgreSQL's identity must continue past the largest (SQLite's does by itself).
    private static func advanceIdentity(_ db: any StoreDatabase, table: String) throws {
        _ = try db.rows("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM \(table)",
                        [DatabaseValue]())
    }

    /// Every row of the copied tables, for comparing two stores (tests, `judge store copy --check`).
    public func dump() throws -> [String: [[String: DatabaseValue]]] {
        try read { db in
            var tables: [String: [[String: DatabaseValue]]] = [:]
            for table in Self.copiedTables {
                tables[table] = try db.rows("SELECT * FROM \(table) ORDER BY id", [DatabaseValue]()).map { row in
                    Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
                }
            }
            return tables
        }
    }
}
