import Foundation
import XCTest
@testable import Report

/// Renders the synthetic report and screenshots it, for a person to look at.
/// Writes only when JUDGE_REPORT_PREVIEW names a directory; otherwise it checks that it renders.
final class LayoutPreviewTests: XCTestCase {
    func testPreview() throws {
        let data = SyntheticReport.make(historyDays: 6)
        let html = HTMLRenderer().render(data)
        XCTAssertTrue(html.contains("<h2>Leaderboard</h2>"))
        guard let dir = ProcessInfo.processInfo.environment["JUDGE_REPORT_PREVIEW"] else { return }
        let out = URL(fileURLWithPath: dir)
        try ReportFiles.write(data, to: out)
        try Chromium().screenshot(out.appendingPathComponent("report.html"), to: out.appendingPathComponent("report.png"),
                                  width: 1280, height: 2400)
    }
}
