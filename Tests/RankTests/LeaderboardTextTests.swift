import XCTest
@testable import Rank

final class LeaderboardTextTests: XCTestCase {
    func board() throws -> Leaderboard {
        var o = RatingOptions(); o.bootstrapRounds = 20
        return try Ranker(options: o).leaderboard(RankFixtures.battles("graded"))
    }

    func testOrderedJSONDecodesBackToTheRows() throws {
        let b = try board()
        var rows = b.rows
        rows[0].model = "odd \"name\", with, commas"
        let decoded = try JSONDecoder().decode([RatingRow].self, from: Data(rows.orderedJSON().utf8))
        XCTAssertEqual(decoded, rows)
        let first = rows.orderedJSON().split(separator: "\n")[1]
        let keys = ["model", "rating", "ci_low", "ci_high", "win_rate_vs_anchor", "comparisons", "wins", "losses", "ties"]
        let positions = keys.map { first.range(of: "\"\($0)\":")!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
    }

    func testTableCsvAndMarkdownListEveryModelInOrder() throws {
        let b = try board()
        let table = b.table(), csv = b.csv(), markdown = b.markdown()
        XCTAssertEqual(csv.split(separator: "\n").count, b.rows.count + 1)
        var last = table.startIndex, lastMd = markdown.startIndex
        for row in b.rows {
            let r = table.range(of: row.model, range: last..<table.endIndex)!
            last = r.upperBound
            lastMd = markdown.range(of: "| \(row.model) |", range: lastMd..<markdown.endIndex)!.upperBound
        }
        XCTAssert(table.contains("20 bootstrap rounds, seed 1"))
        let fields = csv.split(separator: "\n")[1].split(separator: ",")
        XCTAssertEqual(Double(fields[2])!, b.rows[0].rating)
    }
}
