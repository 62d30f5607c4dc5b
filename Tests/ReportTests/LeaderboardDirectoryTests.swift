import Foundation
import Rank
import XCTest
@testable import Report

final class LeaderboardDirectoryTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-leaderboard-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func data(_ date: String, _ ratings: [(String, Double)]) -> ReportData {
        let rows = ratings.enumerated().map { i, r in
            LeaderboardRow(rank: i + 1, entry: RatingRow(model: r.0, rating: r.1, ciLow: r.1 - 20, ciHigh: r.1 + 20,
                                                         winRateVsAnchor: 0.5, comparisons: 100, wins: 50, losses: 40, ties: 10))
        }
        return ReportData(title: "leaderboard", asOf: date, leaderboard: rows)
    }

    private func snapshotFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("history").path).sorted()
    }

    /// The current run's files by name (`history/…` included), and where `latest` points.
    private func contents() throws -> [String: Data] {
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("latest").path)
        let run = dir.appendingPathComponent(target)
        var out: [String: Data] = ["→latest": Data(target.utf8)]
        for name in try AtomicFileSet.relativeFiles(in: run) {
            out[name] = try Data(contentsOf: run.appendingPathComponent(name))
        }
        return out
    }

    func testSameDataGivesByteIdenticalFilesAndOneSnapshot() throws {
        let board = LeaderboardDirectory(directory: dir)
        try board.write(data("2025-03-01", [("a", 1010), ("b", 990)]))
        let first = try contents()
        try board.write(data("2025-03-01", [("a", 1010), ("b", 990)]))
        XCTAssertEqual(try contents(), first)
        XCTAssertEqual(try snapshotFiles(), ["2025-03-01.json"])
        XCTAssertEqual(Set(first.keys),
                       ["→latest", "report.html", "report.md", "ratings.json", "ratings.csv", "history/2025-03-01.json"])
    }

    func testChangeIsMeasuredAgainstThePreviousSnapshot() throws {
        let board = LeaderboardDirectory(directory: dir)
        try board.write(data("2025-03-01", [("a", 1010), ("b", 990)]))
        try board.write(data("2025-03-02", [("b", 1020), ("a", 1005), ("c", 900)]))
        struct Ratings: Decodable { var ratings: [LeaderboardRow] }
        let rows = try JSONDecoder().decode(Ratings.self, from: Data(contentsOf: dir.appendingPathComponent("ratings.json"))).ratings
        XCTAssertEqual(rows.map(\.model), ["b", "a", "c"])
        XCTAssertEqual(rows[0].change, 30)
        XCTAssertEqual(rows[1].change, -5)
        XCTAssertNil(rows[2].change)
        XCTAssertEqual(try snapshotFiles(), ["2025-03-01.json", "2025-03-02.json"])
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<section id=\"history\">"))
        XCTAssertTrue(html.contains("+30.0"))
        // Re-running the earlier day (e.g. `--date`) compares with what came before it, not after.
        let again = try board.withHistory(data("2025-03-01", [("a", 1010), ("b", 990)]))
        XCTAssertEqual(again.history.map(\.date), ["2025-03-01"])
        XCTAssertNil(again.leaderboard[0].change)
    }

    func testAFailedRunLeavesThePreviousLeaderboardIntact() throws {
        let board = LeaderboardDirectory(directory: dir)
        try board.write(data("2025-03-01", [("a", 1010), ("b", 990)]))
        let before = try contents()
        // The next night's snapshot cannot be written: a directory sits where it must go.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("history/2025-03-02.json"),
                                                withIntermediateDirectories: true)
        XCTAssertThrowsError(try board.write(data("2025-03-02", [("b", 1020), ("a", 1005)]))) { error in
            XCTAssertTrue("\(error)".contains("2025-03-02.json"), "\(error)")
        }
        XCTAssertEqual(try contents(), before)
        XCTAssertEqual(try snapshotFiles(), ["2025-03-01.json", "2025-03-02.json"])  // only the obstacle
    }

    func testACorruptSnapshotIsNamedAndNothingIsWritten() throws {
        let board = LeaderboardDirectory(directory: dir)
        try board.write(data("2025-03-01", [("a", 1010)]))
        let before = try contents()
        let bad = dir.appendingPathComponent("history/2025-02-28.json")
        try Data("{\"date\": \"2025-02-28\"}".utf8).write(to: bad)
        XCTAssertThrowsError(try board.write(data("2025-03-02", [("a", 1000)]))) { error in
            XCTAssertEqual("\(error)", "cannot read the leaderboard snapshot \(bad.path): missing field 'ratings' at the top level; fix or remove that file")
        }
        var expected = before
        expected["history/2025-02-28.json"] = try Data(contentsOf: bad)
        XCTAssertEqual(try contents(), expected)
    }

    func testBadDateIsRefused() {
        XCTAssertThrowsError(try LeaderboardDirectory(directory: dir).write(data("2025-02-30", [("a", 1)]))) { error in
            XCTAssertEqual(error as? ReportError, .badDate("2025-02-30"))
        }
    }

    func testDates() {
        XCTAssertTrue(LeaderboardDate.isValid("2024-02-29"))
        XCTAssertFalse(LeaderboardDate.isValid("2023-02-29"))
        XCTAssertFalse(LeaderboardDate.isValid("2023-1-01"))
        XCTAssertFalse(LeaderboardDate.isValid("2023-13-01"))
        XCTAssertFalse(LeaderboardDate.isValid("２０２３-01-01"))
        XCTAssertEqual(LeaderboardDate.fromUnixTime(0), "1970-01-01")
        XCTAssertEqual(LeaderboardDate.fromUnixTime(951_782_400), "2000-02-29")
        XCTAssertEqual(LeaderboardDate.fromUnixTime(1_764_028_799.9), "2025-11-24")
        XCTAssertEqual(LeaderboardDate.fromUnixTime(-1), "1969-12-31")
    }
}
