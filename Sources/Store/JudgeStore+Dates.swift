import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Dates

    /// The newest judgment's time in the given suites, of one judge configuration or of any (nil when
    /// there is none): a report's "as of" date, read from the store so that the same store always gives
    /// the same date.
    public func newestJudgment(suites: [String], judge: JudgeConfiguration? = nil) throws -> Date? {
        guard !suites.isEmpty else { return nil }
        var sql = """
            SELECT MAX(j.created_at) FROM judgment j
            JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id JOIN suite s ON s.id = t.suite_id
            WHERE s.name IN (\(placeholders(suites.count)))
            """
        var arguments: [DatabaseValue] = suites.map(\.databaseValue)
        if let judge {
            sql += """
                 AND j.judge_model = ? AND j.template_id = ? AND j.template_version = ?
                 AND j.judge_temperature IS NOT DISTINCT FROM ? AND j.judge_max_tokens IS NOT DISTINCT FROM ?
                """
            arguments += [judge.judgeModel.databaseValue, judge.templateID.databaseValue, judge.templateVersion.databaseValue,
                          judge.temperature?.databaseValue ?? .null, judge.maxTokens?.databaseValue ?? .null]
        }
        return try read { db in try db.rows(sql, arguments).first.flatMap { $0.databaseValues.first }.flatMap(Date.fromDatabaseValue) }
    }
}
