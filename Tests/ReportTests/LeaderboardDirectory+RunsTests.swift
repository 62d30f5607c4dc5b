import Foundation
import Rank
import XCTest
@testable import Report

/// K2 (issue 18): each run is written into a fresh directory and `latest` switches with one rename, so a
/// reader polling while the leaderboard is regenerated never sees files from two runs.
final class LeaderboardRunsTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-leaderboard-runs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Day `day` of March 2025, with a rating that names the day, so every file tells which run wrote it.
    private func data(day: Int) -> ReportData {
        let date = "2025-03-\(day < 10 ? "0" : "")\(day)"
        let row = LeaderboardRow(rank: 1, entry: RatingRow(model: "model-\(day)", rating: Double(1000 + day), ciLow: 990,
                                                           ciHigh: 1100, winRateVsAnchor: 0.5, comparisons: 10,
                                                           wins: 5, losses: 4, ties: 1))
        return ReportData(title: "board", asOf: date, leaderboard: [row])
    }

    func testAConcurrentPollerNeverSeesTwoRunsMixed() throws {
        let board = LeaderboardDirectory(directory: dir)
        try board.write(data(day: 1))
        let latest = dir.appendingPathComponent("latest").path
        let runs = 25
        let stop = ManagedFlag()
        let poller = Poller()
        let thread = Thread {
            while !stop.isSet {
                // Resolve `latest` once, then read every file from that run.
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latest) else {
                    poller.record(nil)
                    continue
                }
                let run = self.dir.appendingPathComponent(target)
                let files = ["ratings.json", "ratings.csv", "report.md", "report.html"].map {
                    try? String(contentsOf: run.appendingPathComponent($0), encoding: .utf8)
                }
                let history = try? FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("history").path)
                // A run pruned (three runs later) while this reader was still on it: gone, not mixed.
                guard let history, files.allSatisfy({ $0 != nil }) else {
                    poller.recordVanished()
                    continue
                }
                let days = files.map { Self.day(in: $0!) }
                let newest = history.sorted().last.map { Int($0.dropFirst(8).prefix(2)) ?? -1 } ?? -1
                poller.record(Set(days + [newest]).count == 1 && days[0] > 0 ? days[0] : nil)
            }
            poller.finished()
        }
        thread.start()
        for day in 2...runs + 1 { try board.write(data(day: day)) }
        stop.set()
        poller.waitUntilFinished()
        XCTAssertGreaterThan(poller.polls - poller.vanished, 0)
        XCTAssertEqual(poller.inconsistent, 0, "\(poller.inconsistent) of \(poller.polls) polls saw files from two runs")
        XCTAssertEqual(Self.day(in: try String(contentsOf: dir.appendingPathComponent("ratings.json"), encoding: .utf8)), runs + 1)
    }

    func testHistoryIsKeptAndOnlyTheNewestRunsRemain() throws {
        let board = LeaderboardDirectory(directory: dir)
        for day in 1...6 { try board.write(data(day: day)) }
        let history = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("history").path).sorted()
        XCTAssertEqual(history, (1...6).map { "2025-03-0\($0).json" })
        XCTAssertEqual(board.runNumbers(), [4, 5, 6])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("latest").path),
                       "runs/run-000006")
        for name in LeaderboardDirectory.topLevelNames {
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent(name).path),
                           "latest/\(name)")
        }
        // The same data again writes no new run.
        try board.write(data(day: 6))
        XCTAssertEqual(board.runNumbers(), [4, 5, 6])
    }

    func testALeaderboardWrittenBeforeRunsIsTakenOver() throws {
        // The old layout: real files at the top level and a real history folder.
        let history = dir.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        try RatingsExport.encode(RatingSnapshot(date: "2025-02-28", ratings: [
            SnapshotRating(model: "model-2", rating: 1000, ciLow: 990, ciHigh: 1010, comparisons: 3),
        ])).write(to: history.appendingPathComponent("2025-02-28.json"), atomically: true, encoding: .utf8)
        try "old".write(to: dir.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try LeaderboardDirectory(directory: dir).write(data(day: 2))
        let names = try FileManager.default.contentsOfDirectory(atPath: history.path).sorted()
        XCTAssertEqual(names, ["2025-02-28.json", "2025-03-02.json"])
        struct Ratings: Decodable { var ratings: [LeaderboardRow] }
        let rows = try JSONDecoder().decode(Ratings.self, from: Data(contentsOf: dir.appendingPathComponent("ratings.json"))).ratings
        XCTAssertEqual(rows.first?.change, 2, "the change is measured against the old history")
        XCTAssertNotEqual(try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8), "old")
    }

    // MARK: - Helpers

    /// The day a run's file names (`model-D`), or 0.
    static func day(in text: String) -> Int {
        guard let range = text.range(of: "model-") else { return 0 }
        return Int(text[range.upperBound...].prefix(while: \.isNumber)) ?? 0
    }

    final class ManagedFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    final class Poller: @unchecked Sendable {
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private(set) var polls = 0
        private(set) var inconsistent = 0
        private(set) var vanished = 0
        func record(_ day: Int?) { lock.withLock { polls += 1; if day == nil { inconsistent += 1 } } }
        func recordVanished() { lock.withLock { polls += 1; vanished += 1 } }
        func finished() { done.signal() }
        func waitUntilFinished() { done.wait() }
    }
}
