import Foundation
import Rank
import Store

// MARK: - ratings.json and ratings.csv

/// The leaderboard as data: JSON (the judge configuration rated, and the rows of `judge rank --format
/// json` plus `rank` and `change`) and CSV (RFC 4180) for spreadsheets.
public enum RatingsExport {
    /// `{"judge": {…}, "judge_reliability": {…}, "judge_build": "…", "ratings": [rows]}`: the configuration
    /// and its reliability (null when the data came from no store), the build that wrote the file, and
    /// the rows, best first; keys sorted, so the same ratings give the same bytes.
    public static func json(_ data: ReportData) throws -> String {
        try encode(Ratings(judge: data.judge, judgeReliability: data.judgeReliability, judgeBuild: data.judgeBuild,
                           ratings: data.leaderboard))
    }

    /// The shape of ratings.json.
    struct Ratings: Encodable {
        var judge: JudgeConfiguration?
        var judgeReliability: JudgeReliability?
        var judgeBuild: String?
        var ratings: [LeaderboardRow]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(judge, forKey: .judge)   // null rather than absent: the key is always there
            try c.encode(judgeReliability, forKey: .judgeReliability)
            try c.encode(judgeBuild, forKey: .judgeBuild)
            try c.encode(ratings, forKey: .ratings)
        }

        enum CodingKeys: String, CodingKey {
            case judge, judgeReliability = "judge_reliability", judgeBuild = "judge_build", ratings
        }
    }

    /// One row per model with the columns of the JSON, in a fixed order.
    ///
    /// Text cells are quoted when they contain a comma, quote or line break (RFC 4180), and a cell
    /// that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so that a
    /// spreadsheet never evaluates a model name as a formula (OWASP "CSV injection").
    public static func csv(_ rows: [LeaderboardRow]) -> String {
        var out = "rank,model,rating,ci_low,ci_high,win_rate_vs_anchor,comparisons,wins,losses,ties,change\r\n"
        for r in rows {
            let cells = [
                "\(r.rank)", text(r.model), number(r.rating), number(r.ciLow), number(r.ciHigh),
                number(r.winRateVsAnchor), "\(r.comparisons)", "\(r.wins)", "\(r.losses)", "\(r.ties)",
                r.change.map(number) ?? "",
            ]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }

    // MARK: - Helpers

    /// Sorted keys, no escaped slashes, pretty-printed: stable and diff-friendly.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Six decimals: more than any interval supports, fixed so output is byte-stable.
    static func number(_ value: Double) -> String { Format.fixed(value, 6) }

    static func text(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            cell = "'" + cell
        }
        if cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }
}
