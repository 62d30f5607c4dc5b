import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Dates

    /// The newest judgment's time in the given suites (nil when they hold none): a report's "as of"
    /// date, read from the store so that the same store always gives the same date.
    public func newestJudgment(suites: [String]) throws -> Date? {
        guard !suites.isEmpty else { return nil }
        return try read { db in
            try db.value(Date.self, """
                SELECT MAX(j.created_at) FROM judgment j
                JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id JOIN suite s ON s.id = t.suite_id
                WHERE s.name IN (\(placeholders(suites.count)))
                """, suites.map { $0 as (any DatabaseValueConvertible)? })
        }
    }
}
