import Foundation
import Rank
import Store
import XCTest
@testable import Report

final class RatingsExportTests: XCTestCase {
    let rows = [
        LeaderboardRow(rank: 1, entry: RatingRow(model: "a,\"b\"", rating: 1010.5, ciLow: 990, ciHigh: 1030, winRateVsAnchor: 0.55,
                                                 comparisons: 10, wins: 6, losses: 3, ties: 1), change: 2),
        LeaderboardRow(rank: 2, entry: RatingRow(model: "=HYPERLINK(\"http://x\")", rating: 990, ciLow: 970, ciHigh: 1010,
                                                 winRateVsAnchor: 0.45, comparisons: 10, wins: 3, losses: 6, ties: 1)),
    ]

    let judge = JudgeConfiguration(judgeModel: "gpt-4o", templateID: "pairwise-logprobs", templateVersion: "logprobs-v1",
                                   temperature: 0, maxTokens: 1)

    func testJSONNamesTheJudgeAndHasRankFieldsInSnakeCaseAndRoundTrips() throws {
        let data = ReportData(title: "t", asOf: "2025-01-01", judge: judge, leaderboard: rows)
        let json = try RatingsExport.json(data)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(Set(object.keys), ["judge", "judge_reliability", "judge_build", "ratings"])   // the last two null here: no store, no build named
        let named = object["judge"] as! [String: Any]
        XCTAssertEqual(named["judge_model"] as? String, "gpt-4o")
        XCTAssertEqual(named["template_id"] as? String, "pairwise-logprobs")
        XCTAssertEqual(named["template_version"] as? String, "logprobs-v1")
        XCTAssertEqual(named["verdict"] as? String, "logprobs")
        XCTAssertEqual(named["temperature"] as? Double, 0)
        XCTAssertEqual(named["max_tokens"] as? Int, 1)
        let objects = object["ratings"] as! [[String: Any]]
        XCTAssertEqual(Set(objects[0].keys), ["rank", "model", "rating", "ci_low", "ci_high", "win_rate_vs_anchor",
                                              "comparisons", "wins", "losses", "ties", "change"])
        XCTAssertEqual(objects[0]["ci_low"] as? Double, 990)
        struct Ratings: Decodable { var judge: JudgeConfiguration?; var ratings: [LeaderboardRow] }
        let decoded = try JSONDecoder().decode(Ratings.self, from: Data(json.utf8))
        XCTAssertEqual(decoded.ratings, rows)
        XCTAssertEqual(decoded.judge, judge)
        XCTAssertEqual(try RatingsExport.json(data), json)  // stable
        // Without a store behind the data the key is still there, null.
        let bare = try JSONSerialization.jsonObject(with: Data(try RatingsExport.json(ReportData(title: "t", asOf: "2025-01-01", leaderboard: rows)).utf8)) as! [String: Any]
        XCTAssertTrue(bare["judge"] is NSNull)
    }

    func testCSVQuotesAndDefusesFormulas() {
        let lines = RatingsExport.csv(rows).components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "rank,model,rating,ci_low,ci_high,win_rate_vs_anchor,comparisons,wins,losses,ties,change")
        XCTAssertEqual(lines[1], "1,\"a,\"\"b\"\"\",1010.500000,990.000000,1030.000000,0.550000,10,6,3,1,2.000000")
        XCTAssertEqual(lines[2], "2,\"'=HYPERLINK(\"\"http://x\"\")\",990.000000,970.000000,1010.000000,0.450000,10,3,6,1,")
        XCTAssertEqual(lines[3], "")
        XCTAssertEqual(lines.count, 4)
    }
}
