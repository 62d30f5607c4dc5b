import Foundation
import GRDB

// MARK: - StoreDatabase

/// The SQL the store speaks, the same on both backends: SQLite through GRDB (`Database`) and PostgreSQL
/// through PostgresNIO (``PostgresSession``).
///
/// Statements use `?` placeholders and SQL both engines read alike (no `INSERT OR IGNORE`, no `julianday`;
/// booleans are the integers 0 and 1, dates GRDB's text). Rows come back as GRDB `Row`s, so the store's
/// record types decode from either backend.
protocol StoreDatabase {
    /// The rows of one statement.
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    /// Runs one statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int
    /// Inserts one row; returns its new `id`.
    func insertRow(into table: String, _ values: [(String, DatabaseValue)]) throws -> Int64
    /// Visits the rows of one statement one at a time, holding none of them (a SQLite cursor, a PostgreSQL
    /// row stream): the way to read a million judgments.
    func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (Row) throws -> Void) throws
    /// Visits the rows of one statement as their values in column order (rows read by position).
    func forEachValues(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws
    /// The text of SQL's character with code `code`: `char(n)` in SQLite, `chr(n)` in PostgreSQL.
    func character(_ code: Int) -> String
}

/// A store record with an autoincremented `id`.
protocol IdentifiedRecord: FetchableRecord, EncodableRecord, TableRecord {
    var id: Int64? { get set }
}

extension StoreDatabase {
    func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [Row] {
        try rows(sql, arguments.map { $0?.databaseValue ?? .null })
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> Int {
        try execute(sql, arguments.map { $0?.databaseValue ?? .null })
    }

    func fetchAll<R: FetchableRecord>(_ type: R.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [R] {
        try rows(sql, arguments).map { try R(row: $0) }
    }

    func fetchOne<R: FetchableRecord>(_ type: R.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> R? {
        try rows(sql, arguments).first.map { try R(row: $0) }
    }

    /// The only column of each row.
    func values<V: DatabaseValueConvertible>(_ type: V.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [V] {
        try rows(sql, arguments).compactMap { row in row.databaseValues.first.flatMap { V.fromDatabaseValue($0) } }
    }

    /// The only column of the first row.
    func value<V: DatabaseValueConvertible>(_ type: V.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> V? {
        try values(type, sql, arguments).first
    }

    /// Inserts `record` (its `id` when set, else a new one, stored back into it).
    func insert<R: IdentifiedRecord>(_ record: inout R) throws {
        var values = try record.databaseDictionary.sorted { $0.key < $1.key }
        if record.id == nil { values.removeAll { $0.key == "id" } }
        let id = try insertRow(into: R.databaseTableName, values.map { ($0.key, $0.value) })
        record.id = id
    }

    /// Writes every column of `record` over the row with its `id`.
    func update<R: IdentifiedRecord>(_ record: R) throws {
        let values = try record.databaseDictionary.filter { $0.key != "id" }.sorted { $0.key < $1.key }
        try execute("UPDATE \(R.databaseTableName) SET \(values.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE id = ?",
                    values.map(\.value) + [record.id!.databaseValue])
    }

    /// Inserts a new record, updates a stored one.
    func save<R: IdentifiedRecord>(_ record: inout R) throws {
        if record.id == nil { try insert(&record) } else { try update(record) }
    }
}

/// `?, ?, …` for `count` values.
func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

// MARK: - SQLite (GRDB)

extension Database: StoreDatabase {
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(self, sql: sql, arguments: StatementArguments(arguments))
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try execute(sql: sql, arguments: StatementArguments(arguments))
        return changesCount
    }

    func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (Row) throws -> Void) throws {
        let rows = try Row.fetchCursor(self, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() { try body(row) }
    }

    func forEachValues(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws {
        let rows = try Row.fetchCursor(self, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() { try body(Array(row.databaseValues)) }
    }

    func character(_ code: Int) -> String { "char(\(code))" }

    func insertRow(into table: String, _ values: [(String, DatabaseValue)]) throws -> Int64 {
        try execute(sql: "INSERT INTO \(table) (\(values.map(\.0).joined(separator: ", "))) VALUES (\(placeholders(values.count)))",
                    arguments: StatementArguments(values.map(\.1)))
        return lastInsertedRowID
    }
}

// MARK: - PostgreSQL

extension PostgresSession: StoreDatabase {
    func character(_ code: Int) -> String { "chr(\(code))" }

    func insertRow(into table: String, _ values: [(String, DatabaseValue)]) throws -> Int64 {
        let sql = "INSERT INTO \(table) (\(values.map(\.0).joined(separator: ", "))) VALUES (\(placeholders(values.count))) RETURNING id"
        guard let id = try value(sql, values.map(\.1)).flatMap(Int64.fromDatabaseValue) else {
            throw StoreError.postgres(location.description, reason: "INSERT INTO \(table) returned no id")
        }
        return id
    }
}

// MARK: - Records

extension SuiteRecord: IdentifiedRecord {}
extension TaskRecord: IdentifiedRecord {}
extension ItemRecord: IdentifiedRecord {}
extension ModelRecord: IdentifiedRecord {}
extension CandidateRecord: IdentifiedRecord {}
extension JudgmentRecord: IdentifiedRecord {}
extension JudgeBatchRecord: IdentifiedRecord {}
