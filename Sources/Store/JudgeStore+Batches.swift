import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Batch API batches

    /// Records a batch just created at the provider.
    @discardableResult
    public func saveBatch(_ batch: JudgeBatchRecord) throws -> JudgeBatchRecord {
        try write { db in
            var record = batch
            try db.insert(&record)
            return record
        }
    }

    /// Batches submitted to `endpoint` for `judgeModel` and not yet collected, oldest first: a run polls
    /// these before it submits anything.
    public func openBatches(endpoint: String, judgeModel: String) throws -> [JudgeBatchRecord] {
        try read { db in
            try db.fetchAll(JudgeBatchRecord.self, """
                SELECT * FROM judge_batch WHERE endpoint = ? AND judge_model = ? AND collected_at IS NULL ORDER BY id
                """, [endpoint, judgeModel])
        }
    }

    /// Every batch ever submitted, oldest first.
    public func batches() throws -> [JudgeBatchRecord] {
        try read { db in try db.fetchAll(JudgeBatchRecord.self, "SELECT * FROM judge_batch ORDER BY id") }
    }

    /// Stores the provider's latest view of a batch; `collected` marks it read into `judgment`.
    public func updateBatch(_ batchID: String, status: String, outputFileID: String?, errorFileID: String?,
                            errors: String? = nil, collected: Bool = false) throws {
        _ = try write { db in
            try db.execute("""
                UPDATE judge_batch SET status = ?, output_file_id = ?, error_file_id = ?, errors = COALESCE(?, errors),
                    collected_at = COALESCE(?, collected_at)
                WHERE batch_id = ?
                """, [status, outputFileID, errorFileID, errors, collected ? Date() : nil, batchID])
        }
    }
}
