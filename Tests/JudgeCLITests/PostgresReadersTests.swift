import Foundation
import Store
import StoreTestSupport
import TestSupport
import XCTest

/// The rating commands read a team's PostgreSQL store as they read a SQLite file: `rank`, `overfit` and `report`
/// used to check the disk for a file named like the URL ("no store at postgres://…").
final class PostgresReadersTests: XCTestCase {
    func testRankOverfitAndReportReadAPostgresStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-pg-readers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let suite = try TwoJudgeStore.writeSuite(in: directory, heldOutItems: 2).path
        let url = try PostgresTestServer.shared().createDatabase()
        try TwoJudgeStore.fill(try JudgeStore.open(url), heldOutItems: 2)
        let sqlite = directory.appendingPathComponent("judge.sqlite").path
        try TwoJudgeStore.fill(try JudgeStore(path: sqlite), heldOutItems: 2)

        let judge = try JudgeBinary.locate()
        let fromServer = try judge.run(["rank", "--db", url, "--suite", suite, "--bootstrap", "50"], in: directory)
        XCTAssertEqual(fromServer.status, 0, fromServer.stderr)
        let fromFile = try judge.run(["rank", "--db", sqlite, "--suite", suite, "--bootstrap", "50"], in: directory)
        XCTAssertEqual(fromServer.stdout, fromFile.stdout, "the same store read from PostgreSQL and from SQLite")

        let overfit = try judge.run(["overfit", suite, "--db", url, "--bootstrap", "50", "--no-overfit-status"], in: directory)
        XCTAssertEqual(overfit.status, 0, overfit.stderr)
        XCTAssertTrue(overfit.stdout.contains("verdict: "), overfit.stdout)
        let out = directory.appendingPathComponent("report").path
        let report = try judge.run(["report", suite, "--db", url, "--out", out, "--bootstrap", "50"], in: directory)
        XCTAssertNotEqual(report.status, 1, report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/report.md"), report.stderr)
    }
}
