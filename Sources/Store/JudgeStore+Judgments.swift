import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Judgments

    /// Stores one judgment in its own transaction, as soon as it arrives.
    ///
    /// Exactly-once by key: when the key is already stored with a verdict (or an unparsed reply) the
    /// stored row wins and this one is dropped; when the stored row is a failure (`error`), this one
    /// replaces it — a failed call is retried by the next run.
    ///
    /// - Returns: true when the row was written.
    @discardableResult
    public func saveVerdict(_ judgment: JudgmentRecord) throws -> Bool {
        try writer.write { db in try Self.save(db, judgment) }
    }

    /// Stores several judgments in one transaction (same rules as ``saveVerdict(_:)``); returns how many were written.
    @discardableResult
    public func saveVerdicts(_ judgments: [JudgmentRecord]) throws -> Int {
        try writer.write { db in try judgments.reduce(0) { $0 + (try Self.save(db, $1) ? 1 : 0) } }
    }

    /// The judgment stored under `key`, if any (including failures).
    public func judgment(forKey key: String) throws -> JudgmentRecord? {
        try writer.read { db in try JudgmentRecord.filter(JudgmentRecord.Columns.key == key).fetchOne(db) }
    }

    /// Which of `keys` are settled (a verdict or an unparsed reply): a run sends none of these again.
    /// Failed judgments are not settled.
    public func settledKeys(among keys: [String]) throws -> Set<String> {
        try writer.read { db in
            var settled = Set<String>()
            // SQLite limits bound parameters (32766 by default); stay well below it.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let marks = databaseQuestionMarks(count: chunk.count)
                let found = try String.fetchAll(db, sql: "SELECT key FROM judgment WHERE error IS NULL AND key IN (\(marks))",
                                                arguments: StatementArguments(chunk))
                settled.formUnion(found)
            }
            return settled
        }
    }

    /// Every judgment of one item (all pairs, orders, judges, failures included), oldest first.
    public func verdicts(for itemID: Int64) throws -> [JudgmentRecord] {
        try writer.read { db in
            try JudgmentRecord.filter(JudgmentRecord.Columns.itemID == itemID).order(JudgmentRecord.Columns.id).fetchAll(db)
        }
    }

    /// Every judgment of a suite's items (failures and superseded outputs included), oldest first.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    public func judgments(suite: String) throws -> [JudgmentRecord] {
        try writer.read { db in
            guard let suiteID = try Int64.fetchOne(db, sql: "SELECT id FROM suite WHERE name = ?", arguments: [suite]) else {
                throw StoreError.unknownSuite(suite)
            }
            return try JudgmentRecord.fetchAll(db, sql: """
                SELECT j.* FROM judgment j JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id
                WHERE t.suite_id = ? ORDER BY j.id
                """, arguments: [suiteID])
        }
    }

    /// How many judgments are stored, and how many of them are failures.
    public func judgmentCounts() throws -> (total: Int, failed: Int) {
        try writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS total, COUNT(error) AS failed FROM judgment")!
            return (row["total"], row["failed"])
        }
    }

    static func save(_ db: Database, _ judgment: JudgmentRecord) throws -> Bool {
        var record = judgment
        if let existing = try JudgmentRecord.filter(JudgmentRecord.Columns.key == judgment.key).fetchOne(db) {
            guard existing.error != nil else { return false }
            record.id = existing.id
            try record.update(db)
            return true
        }
        record.id = nil
        try record.insert(db)
        return true
    }
}
