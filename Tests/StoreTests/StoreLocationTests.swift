import Foundation
import GRDB
import XCTest
@testable import Store
import StoreTestSupport
import TestSupport

/// `--db` locations, and the stores judge must refuse: unreachable or wrongly authenticated PostgreSQL,
/// and schemas newer than the binary — each with one line naming the place and the cause, writing nothing.
final class StoreLocationTests: XCTestCase {
    func testPostgresURLsAreParsedAndPrintedWithoutThePassword() throws {
        let location = try PostgresLocation(url: "postgres://team:s3cret@db.example:6543/judge", environment: [:])
        XCTAssertEqual(location.user, "team")
        XCTAssertEqual(location.host, "db.example")
        XCTAssertEqual(location.port, 6543)
        XCTAssertEqual(location.database, "judge")
        XCTAssertEqual(location.description, "postgres://team@db.example:6543/judge")
        XCTAssertEqual(try PostgresLocation(url: "postgresql://u@h/d", environment: ["PGPASSWORD": "pw"]).password, "pw")
        XCTAssertEqual(try PostgresLocation(url: "postgresql://u@h/d", environment: [:]).port, 5432)
        for bad in ["postgres://h/d", "postgres://u@/d", "postgres://u@h", "postgres://u:pw@h:5432/"] {
            XCTAssertThrowsError(try PostgresLocation(url: bad, environment: [:])) { error in
                XCTAssertFalse("\(error)".contains("pw@"), "the password is never printed: \(error)")
            }
        }
        XCTAssertFalse(PostgresLocation.isPostgresURL("judge.sqlite"))
    }

    // MARK: - Unreachable, wrongly authenticated

    func testUnreachableServerIsOneLineNamingHostAndCause() throws {
        XCTAssertThrowsError(try JudgeStore.open("postgres://judge@127.0.0.1:1/judge")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("127.0.0.1:1"), text)
            XCTAssertTrue(text.lowercased().contains("refused"), text)
            XCTAssertFalse(text.contains("\n"), "one line: \(text)")
        }
    }

    func testWrongPasswordIsOneLineAndWritesNothing() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.createDatabase()
        let database = String(url.split(separator: "/").last!)
        XCTAssertThrowsError(try JudgeStore.open(server.url(database: database, password: "wrong"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("127.0.0.1:\(server.port)"), text)
            XCTAssertTrue(text.contains("password authentication failed"), text)
            XCTAssertFalse(text.contains("wrong"), "the password is never printed: \(text)")
            XCTAssertFalse(text.contains("\n"), "one line: \(text)")
        }
        let tables = try server.psql(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        XCTAssertEqual(tables.trimmingCharacters(in: .whitespacesAndNewlines), "0", "no partial writes")
    }

    // MARK: - A schema newer than the binary

    func testSQLiteSchemaNewerThanTheBinaryIsRefusedNamingBothVersions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newer-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        _ = try JudgeStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        XCTAssertThrowsError(try JudgeStore(path: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("v99-from-the-future"), text)
            XCTAssertTrue(text.contains(JudgeStore.knownMigrations.last!), text)
        }
    }

    func testPostgresSchemaNewerThanTheBinaryIsRefusedNamingBothVersions() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.createDatabase()
        let database = String(url.split(separator: "/").last!)
        _ = try JudgeStore.open(url)
        try server.psql(database, "INSERT INTO judge_migrations (identifier, applied_at) VALUES ('v99-from-the-future', 'now')")
        let before = try server.psql(database, "SELECT count(*) FROM judge_migrations")
        XCTAssertThrowsError(try JudgeStore.open(url)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("v99-from-the-future"), text)
            XCTAssertTrue(text.contains(JudgeStore.knownMigrations.last!), text)
            XCTAssertTrue(text.contains("postgres://judge@127.0.0.1:\(server.port)/\(database)"), text)
        }
        XCTAssertEqual(try server.psql(database, "SELECT count(*) FROM judge_migrations"), before, "nothing written")
    }
}
