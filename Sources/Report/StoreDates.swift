import Foundation
import GRDB

// MARK: - The date of a store's newest judgment

/// The calendar date (UTC) of the newest judgment in the given suites: the leaderboard's snapshot
/// date, so that the same store always gives the same snapshot (the clock is never read).
///
/// Read straight from the store file, read-only, because `Store` has no query for it yet.
public enum StoreDates {
    public static func newestJudgment(path: String, suites: [String]) throws -> String? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let marks = databaseQuestionMarks(count: suites.count)
        let value = try queue.read { db in
            try DatabaseValue.fetchOne(db, sql: """
                SELECT MAX(j.created_at) FROM judgment j
                JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id JOIN suite s ON s.id = t.suite_id
                WHERE s.name IN (\(marks))
                """, arguments: StatementArguments(suites))
        }
        guard let value, !value.isNull else { return nil }
        switch value.storage {
        case .string(let text):
            let date = String(text.prefix(10))
            return LeaderboardDate.isValid(date) ? date : nil
        case .double(let seconds):
            return LeaderboardDate.fromUnixTime(seconds)
        case .int64(let seconds):
            return LeaderboardDate.fromUnixTime(Double(seconds))
        default:
            return nil
        }
    }
}
