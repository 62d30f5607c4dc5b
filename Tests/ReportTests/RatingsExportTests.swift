import Foundation
import XCTest
@testable import Report

final class RatingsExportTests: XCTestCase {
    let rows = [
        LeaderboardRow(rank: 1, model: "a,\"b\"", rating: 1010.5, ciLow: 990, ciHigh: 1030, winRateVsAnchor: 0.55,
                       comparisons: 10, wins: 6, losses: 3, ties: 1, change: 2),
        LeaderboardRow(rank: 2, model: "=HYPERLINK(\"http://x\")", rating: 990, ciLow: 970, ciHigh: 1010,
                       comparisons: 10, wins: 3, losses: 6, ties: 1),
    ]

    func testJSONHasRankFieldsInSnakeCaseAndRoundTrips() throws {
        let json = try RatingsExport.json(rows)
        let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        XCTAssertEqual(Set(objects[0].keys), ["rank", "model", "rating", "ci_low", "ci_high", "win_rate_vs_anchor",
                                              "comparisons", "wins", "losses", "ties", "change"])
        XCTAssertEqual(objects[0]["ci_low"] as? Double, 990)
        XCTAssertEqual(try JSONDecoder().decode([LeaderboardRow].self, from: Data(json.utf8)), rows)
        XCTAssertEqual(try RatingsExport.json(rows), json)  // stable
    }

    func testCSVQuotesAndDefusesFormulas() {
        let lines = RatingsExport.csv(rows).components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "rank,model,rating,ci_low,ci_high,win_rate_vs_anchor,comparisons,wins,losses,ties,change")
        XCTAssertEqual(lines[1], "1,\"a,\"\"b\"\"\",1010.500000,990.000000,1030.000000,0.550000,10,6,3,1,2.000000")
        XCTAssertEqual(lines[2], "2,\"'=HYPERLINK(\"\"http://x\"\")\",990.000000,970.000000,1010.000000,,10,3,6,1,")
        XCTAssertEqual(lines[3], "")
        XCTAssertEqual(lines.count, 4)
    }
}
