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
        try write { db in try Self.save(db, judgment) }
    }

    /// Stores several judgments in one transaction (same rules as ``saveVerdict(_:)``); returns how many were written.
    @discardableResult
    public func saveVerdicts(_ judgments: [JudgmentRecord]) throws -> Int {
        try write { db in try judgments.reduce(0) { $0 + (try Self.save(db, $1) ? 1 : 0) } }
    }

    /// The judgment stored under `key`, if any (including failures).
    public func judgment(forKey key: String) throws -> JudgmentRecord? {
        try read { db in try db.fetchOne(JudgmentRecord.self, "SELECT * FROM judgment WHERE key = ?", [key]) }
    }

    /// Which of `keys` are settled (a verdict or an unparsed reply): a run sends none of these again.
    /// Failed judgments are not settled.
    public func settledKeys(among keys: [String]) throws -> Set<String> {
        try read { db in
            var settled = Set<String>()
            // SQLite limits bound parameters (32766 by default), PostgreSQL to 65535; stay well below both.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let found = try db.values(String.self, "SELECT key FROM judgment WHERE error IS NULL AND key IN (\(placeholders(chunk.count)))",
                                          chunk.map { $0 as (any DatabaseValueConvertible)? })
                settled.formUnion(found)
            }
            return settled
        }
    }

    /// Every judgment of one item (all pairs, orders, judges, failures included), oldest first.
    public func verdicts(for itemID: Int64) throws -> [JudgmentRecord] {
        try read { db in try db.fetchAll(JudgmentRecord.self, "SELECT * FROM judgment WHERE item_id = ? ORDER BY id", [itemID]) }
    }

    /// Every judgment of a suite's items (failures and superseded outputs included), oldest first.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    public func judgments(suite: String) throws -> [JudgmentRecord] {
        try read { db in
            guard let suiteID = try db.value(Int64.self, "SELECT id FROM suite WHERE name = ?", [suite]) else {
                throw StoreError.unknownSuite(suite)
            }
            return try db.fetchAll(JudgmentRecord.self, """
                SELECT j.* FROM judgment j JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id
                WHERE t.suite_id = ? ORDER BY j.id
                """, [suiteID])
        }
    }

    /// How many judgments are stored, and how many of them are failures.
    public func judgmentCounts() throws -> (total: Int, failed: Int) {
        try read { db in
            let row = try db.rows("SELECT COUNT(*) AS total, COUNT(error) AS failed FROM judgment")[0]
            return (row["total"], row["failed"])
        }
    }

    /// A failure under the key is replaced in place; otherwise the row is inserted unless the key is taken.
    /// Both statements decide under the key's unique index, so workers saving the same key at once (on
    /// PostgreSQL, or several SQLite processes) store it exactly once and neither fails.
    static func save(_ db: any StoreDatabase, _ judgment: JudgmentRecord) throws -> Bool {
        let values = try judgment.databaseDictionary.filter { $0.key != "id" }.sorted { $0.key < $1.key }
        let replaced = try db.execute(
            "UPDATE judgment SET \(values.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE key = ? AND error IS NOT NULL",
            values.map(\.value) + [judgment.key.databaseValue])
        if replaced > 0 { return true }
        let inserted = try db.execute(
            "INSERT INTO judgment (\(values.map(\.key).joined(separator: ", "))) VALUES (\(placeholders(values.count))) ON CONFLICT (key) DO NOTHING",
            values.map(\.value))
        return inserted > 0
    }
}
