import Rank
import XCTest
@testable import Report

final class RendererTests: XCTestCase {
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)></textarea>[x](javascript:alert(3)) | # h ` ' \""

    // MARK: - HTML

    func testHTMLHasEverySectionAndThePolicy() {
        let html = HTMLRenderer().render(SyntheticReport.make(historyDays: 3))
        for id in ["leaderboard", "chart", "history", "heatmap", "tasks", "overfit", "health", "samples"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), "missing section \(id)")
        }
        XCTAssertTrue(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"))
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertEqual(html.components(separatedBy: "<details class=\"sample\">").count - 1, 6)
        XCTAssertTrue(html.contains("<svg class=\"chart\" role=\"img\" aria-label=\"Ratings with 95% intervals\""))
    }

    func testHTMLHasNoScriptAndNoExternalReference() {
        let html = HTMLRenderer().render(SyntheticReport.make(untrusted: hostile, hostileNames: true, historyDays: 2))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("</textarea>"))
        XCTAssertFalse(html.contains(" src=\""))
        XCTAssertFalse(html.contains("javascript:alert(3)\""))
        // Every href is a fragment on this page; xmlns is a namespace name, not a request.
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix(1)) }
        XCTAssertFalse(hrefs.isEmpty)
        XCTAssertEqual(Set(hrefs), ["#"])
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    func testHTMLIsDeterministic() {
        let data = SyntheticReport.make(historyDays: 4)
        XCTAssertEqual(HTMLRenderer().render(data), HTMLRenderer().render(data))
    }

    func testHTMLShowsTheFiguresOfTheLeaderboard() {
        let row = LeaderboardRow(rank: 1, entry: RatingRow(model: "m", rating: 1234.4, ciLow: 1200.2, ciHigh: 1260.6,
                                                           winRateVsAnchor: 0.6234, comparisons: 1500, wins: 900, losses: 500,
                                                           ties: 100), change: -3.26)
        let html = HTMLRenderer().render(ReportData(title: "t", asOf: "2025-01-02", anchor: "a", leaderboard: [row],
                                                    history: [RatingSnapshot(date: "2025-01-01", ratings: []),
                                                              RatingSnapshot(date: "2025-01-02", ratings: [])]))
        for text in [">1234<", "1200 – 1261", "62.3%", "1,500", ">900<", ">500<", ">100<", "−3.3", "since the snapshot of 2025-01-01"] {
            XCTAssertTrue(html.contains(text), "missing \(text)")
        }
    }

    // MARK: - Markdown

    func testMarkdownTablesKeepTheirShapeWithHostileNames() {
        let md = MarkdownRenderer().render(SyntheticReport.make(untrusted: hostile, hostileNames: true))
        var inFence: String?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            if let fence = inFence {
                if line == fence { inFence = nil }
                continue
            }
            if line.hasPrefix("```") { inFence = String(line.prefix { $0 == "`" }); continue }
            XCTAssertFalse(line.contains("<script"), String(line))
            XCTAssertFalse(line.contains("<img"), String(line))
            XCTAssertFalse(line.contains("](javascript"), String(line))
            XCTAssertFalse(line.hasPrefix("# "), String(line))
            if line.hasPrefix("|") {
                // Unescaped pipes delimit cells: every row of a table has as many as its header.
                let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
                XCTAssertGreaterThan(cells, 1)
            }
        }
        XCTAssertNil(inFence, "a code block was left open")
        // Each table's rows have the same number of cells as its header.
        for table in md.components(separatedBy: "\n\n") where table.hasPrefix("|") {
            let counts = Set(table.split(separator: "\n").map { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count })
            XCTAssertEqual(counts.count, 1, table)
        }
    }

    func testMarkdownHasTheSectionsForAPullRequest() {
        let md = MarkdownRenderer().render(SyntheticReport.make())
        for heading in ["## judge report: demo", "### Leaderboard", "### Held-out check", "### Ratings per task",
                        "### Judge health", "### Sample comparisons"] {
            XCTAssertTrue(md.contains(heading + "\n"), "missing \(heading)")
        }
        XCTAssertTrue(md.contains("3 more in report.html."))
        XCTAssertTrue(md.contains("| 1 | **llama-3-8b-ft-v3** | 1061 |"))
    }

    // MARK: - Charts

    func testNiceAxisCoversTheDataWithRoundSteps() {
        let axis = NiceAxis(low: 712, high: 1083, ticks: 6)
        XCTAssertLessThanOrEqual(axis.low, 712)
        XCTAssertGreaterThanOrEqual(axis.high, 1083)
        XCTAssertEqual(axis.values, [700, 800, 900, 1000, 1100])
        XCTAssertEqual(NiceAxis(low: 5, high: 5, ticks: 5).values.count, 5)  // a flat series still gets an axis
    }

    func testHeatmapColoursRunRedWhiteBlue() {
        XCTAssertEqual(WinRateHeatmap.color(0.5), "#ffffff")
        XCTAssertEqual(WinRateHeatmap.color(0), "#ca4038")
        XCTAssertEqual(WinRateHeatmap.color(1), "#2c6fbb")
        XCTAssertEqual(WinRateHeatmap.color(7), "#2c6fbb")
    }

    func testFormats() {
        XCTAssertEqual(Format.rating(-0.4), "0")
        XCTAssertEqual(Format.change(0.04), "±0.0")
        XCTAssertEqual(Format.change(2.25), "+2.3")
        XCTAssertEqual(Format.change(nil), "new")
        XCTAssertEqual(Format.count(1_234_567), "1,234,567")
        XCTAssertEqual(Format.count(-1000), "-1,000")
        XCTAssertEqual(Format.percent(0.5), "50.0%")
        XCTAssertEqual(Format.dollars(0.0123), "$0.0123")
        XCTAssertEqual(Format.dollars(12.5), "$12.50")
    }
}
