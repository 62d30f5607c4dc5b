import Foundation
import XCTest
@testable import Store
import TestSupport

/// The two backends every store test runs against: SQLite in memory, and a fresh database on the tests' own
/// PostgreSQL server (Tests/TestSupport/PostgresTestServer.swift: initdb in a temporary directory, a free
/// port, stopped when the tests end).
enum StoreBackend: String, CaseIterable {
    case sqlite
    case postgres

    func makeStore() throws -> JudgeStore {
        switch self {
        case .sqlite: try JudgeStore.inMemory()
        case .postgres: try JudgeStore.open(try PostgresTestServer.shared().createDatabase())
        }
    }
}

extension XCTestCase {
    /// Runs `body` once per backend, each with a fresh store; a failure names the backend it happened on.
    func forEachBackend(file: StaticString = #filePath, line: UInt = #line, _ body: (JudgeStore, StoreBackend) throws -> Void) {
        for backend in StoreBackend.allCases {
            let failuresBefore = testRun?.totalFailureCount ?? 0
            do {
                try body(try backend.makeStore(), backend)
            } catch {
                XCTFail("\(backend): \(error)", file: file, line: line)
            }
            if (testRun?.totalFailureCount ?? 0) > failuresBefore {
                XCTFail("the failures above are on \(backend)", file: file, line: line)
            }
        }
    }
}
