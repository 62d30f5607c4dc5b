import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to a PostgreSQL server, used synchronously: the store's API is synchronous, and each of its
/// calls is one short statement or transaction. Statements are written with SQLite's `?` placeholders and
/// GRDB's `DatabaseValue`s, and rows come back as GRDB `Row`s, so one SQL text and one record type serve
/// both backends.
///
/// Calls block the calling thread while the connection's event loop (its own thread) does the I/O. One
/// statement or transaction runs at a time (a recursive lock: a transaction's statements take it again).
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    private let connection: PostgresConnection
    private let lock = NSRecursiveLock()
    private let logger = Logger(label: "judge.store.postgres")

    /// Connects and logs in.
    ///
    /// - Throws: ``StoreError/unreachable(server:reason:)`` with one line naming the host and the cause
    ///   (refused, timed out, unknown host, wrong password, no such database or user).
    init(_ location: PostgresLocation, connectTimeout: TimeAmount = .seconds(10)) throws {
        self.location = location
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = connectTimeout
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw StoreError.unreachable(location.description, reason: Self.describe(error))
        }
    }

    deinit { try? connection.close().wait() }

    // MARK: - Statements

    /// The rows of one statement.
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try lock.withLock {
            let result = try run(sql, arguments)
            return try result.rows.map(Self.row)
        }
    }

    /// Streams the rows of one statement through `body` as they arrive, without holding them all: a pass over
    /// a million judgments in constant memory. `body` runs on the connection's event loop thread while this
    /// thread waits; a throw from it fails the statement.
    func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (Row) throws -> Void) throws {
        try stream(sql, arguments, as: { try Self.row($0) }, body)
    }

    /// Streams rows as their values in column order.
    func forEachValues(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws {
        try stream(sql, arguments, as: { try $0.map(Self.databaseValue) }, body)
    }

    /// The one streaming query behind ``forEachRow(_:_:_:)`` and ``forEachValues(_:_:_:)``: each row converted
    /// by `convert` on the event loop, then handed to `body` through a ``RowSink``.
    private func stream<Converted>(_ sql: String, _ arguments: [DatabaseValue],
                                   as convert: @escaping @Sendable (PostgresRow) throws -> Converted,
                                   _ body: (Converted) throws -> Void) throws {
        try lock.withLock {
            try withoutActuallyEscaping(body) { body in
                let sink = RowSink(body)
                defer { sink.release() }
                do {
                    _ = try connection.query(Self.query(sql, arguments), logger: logger) { row in try sink.call(try convert(row)) }.wait()
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError.postgres(location.description, reason: Self.describe(error))
                }
            }
        }
    }

    /// The first column of the first row, or nil.
    func value(_ sql: String, _ arguments: [DatabaseValue]) throws -> DatabaseValue? {
        try lock.withLock {
            guard let cell = try run(sql, arguments).rows.first?.makeRandomAccess().first else { return nil }
            return try Self.databaseValue(cell)
        }
    }

    /// Runs one statement; returns the rows it touched.
    @discardableResult
    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try lock.withLock { try run(sql, arguments).metadata.rows ?? 0 }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try lock.withLock {
            _ = try run("BEGIN", [])
            do {
                let result = try body()
                _ = try run("COMMIT", [])
                return result
            } catch {
                _ = try? run("ROLLBACK", [])
                throw error
            }
        }
    }

    private func run(_ sql: String, _ arguments: [DatabaseValue]) throws -> PostgresQueryResult {
        let query = Self.query(sql, arguments)
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw StoreError.postgres(location.description, reason: Self.describe(error))
        }
    }

    /// The statement with its placeholders numbered and its arguments bound.
    private static func query(_ sql: String, _ arguments: [DatabaseValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.storage {
            case .null: bindings.appendNull()
            case .int64(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .string(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: numberedPlaceholders(sql), binds: bindings)
    }

    // MARK: - Translation

    /// `?` placeholders as PostgreSQL's `$1, $2, …` (none appear inside the store's string literals, but
    /// quoted text is skipped anyway).
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.count + 16)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?", !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A PostgreSQL row as a GRDB row: integers and booleans as integers, floating point as doubles, bytea
    /// as data, everything else (text, numeric) as text — SQLite's storage classes.
    static func row(_ row: PostgresRow) throws -> Row {
        var values: [String: DatabaseValue] = [:]
        for cell in row { values[cell.columnName] = try databaseValue(cell) }
        return Row(values)
    }

    static func databaseValue(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .numeric:
            let text = try cell.decode(String.self)
            if let integer = Int64(text) { return integer.databaseValue }
            return (Double(text) ?? 0).databaseValue
        case .bytea: return Data(buffer: try cell.decode(ByteBuffer.self)).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }

    /// One line: the server's message when it sent one (wrong password, no such database), else the
    /// connection's failure (refused, timed out, unknown host).
    static func describe(_ error: Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return describe(underlying) }
            return "\(error.code)"
        }
        if let error = error as? IOError { return error.description }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout(let timeout): return "connection timed out after \(timeout.nanoseconds / 1_000_000_000) s"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connection refused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }
}

/// Hands postgres-nio's row callback a non-escaping body for the length of one query.
///
/// postgres-nio may release its callback on its event loop a moment after the query's future has completed,
/// so the callback must not hold the body itself: `withoutActuallyEscaping` traps ("non-escaping closure has
/// escaped") when the body outlives it — seen as an occasional SIGILL under four workers. The callback holds
/// this sink, and the sink lets go of the body when the query returns.
private final class RowSink<Row>: @unchecked Sendable {
    private let lock = NSLock()
    private var body: ((Row) throws -> Void)?

    init(_ body: @escaping (Row) throws -> Void) { self.body = body }

    /// Rows only come before the query's future completes, so a released sink sees none.
    func call(_ row: Row) throws {
        guard let body = lock.withLock({ body }) else { return }
        try body(row)
    }

    func release() { lock.withLock { body = nil } }
}

private extension Data {
    init(buffer: ByteBuffer) {
        self = Data(buffer.readableBytesView)
    }
}
