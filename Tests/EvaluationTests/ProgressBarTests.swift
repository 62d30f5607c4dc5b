import Foundation
import XCTest
@testable import Evaluation

/// The progress bar's two forms, driven by a fake clock and captured output.
final class ProgressBarTests: XCTestCase {
    /// Captured output and a clock the test moves.
    final class Harness: @unchecked Sendable {
        var text = ""
        var time = Date(timeIntervalSince1970: 1_000_000)
        func bar(terminal: Bool) -> ProgressBar {
            ProgressBar(label: "judging", isTerminal: terminal, output: { self.text += $0 }, now: { self.time })
        }
    }

    func testPlainLinesAtStartEachTenthAndEndWithETA() {
        let h = Harness()
        let bar = h.bar(terminal: false)
        for done in 0...100 {
            bar.update(done: done, total: 100, detail: done >= 50 ? "1 failed" : "")
            h.time += 2   // 2 s per judgment
        }
        bar.finish()
        let lines = h.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 11, "0/100, then one line per tenth: \(lines)")
        XCTAssertEqual(lines.first, "judging: 0/100 after 0s")
        // At 10/100 after 20 s: 2 s a judgment, 90 left → 3 minutes.
        XCTAssertEqual(lines[1], "judging: 10/100 after 20s  ETA 3m0s")
        XCTAssertEqual(lines[5], "judging: 50/100 after 1m40s  ETA 1m40s  1 failed")
        XCTAssertEqual(lines.last, "judging: 100/100 after 3m20s  1 failed", "no ETA once done")
        XCTAssertFalse(h.text.contains("\u{1B}"), "no terminal escapes in logs")
    }

    func testResumedWorkDoesNotCountTowardTheRate() {
        let h = Harness()
        let bar = h.bar(terminal: false)
        bar.update(done: 60, total: 100)   // 60 were stored before this run
        h.time += 10
        bar.update(done: 70, total: 100)   // 10 in 10 s → 30 left take 30 s
        XCTAssertTrue(h.text.hasSuffix("judging: 70/100 after 10s  ETA 30s\n"), h.text)
    }

    func testTerminalRedrawsInPlaceAtMostTenTimesASecondAndEndsTheLine() {
        let h = Harness()
        let bar = h.bar(terminal: true)
        bar.update(done: 0, total: 4)
        h.time += 0.05
        bar.update(done: 1, total: 4)          // too soon: not drawn
        h.time += 0.06
        bar.update(done: 2, total: 4)
        h.time += 0.01
        bar.update(done: 4, total: 4)          // the end is always drawn
        bar.finish()
        let draws = h.text.components(separatedBy: "\r\u{1B}[2K").filter { !$0.isEmpty }
        XCTAssertEqual(draws.count, 3, "\(draws)")
        XCTAssertTrue(draws[1].contains(" 50% 2/4"), draws[1])
        XCTAssertTrue(draws[1].contains("ETA 0s"), draws[1])
        XCTAssertTrue(draws[2].hasPrefix("judging " + String(repeating: "█", count: 30) + " 100% 4/4"), draws[2])
        XCTAssertTrue(h.text.hasSuffix("\n"))
    }

    func testEmptyWorkIsDoneAtOnce() {
        let h = Harness()
        let bar = h.bar(terminal: false)
        bar.update(done: 0, total: 0)
        bar.update(done: 0, total: 0)
        XCTAssertEqual(h.text, "judging: 0/0 after 0s\n")
    }
}
