import Foundation
import GRDB

/// A row of `judge_batch`: one batch of judge calls submitted to OpenAI's Batch API.
///
/// Stored the moment the batch is created, with the judgment keys it carries (each line's `custom_id`),
/// so a run interrupted while the batch is in the provider's hands polls it again instead of submitting
/// the same calls twice. `collected_at` is set once its output and error files have been read into
/// `judgment`; a collected batch is history.
public struct JudgeBatchRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "judge_batch"
    public var id: Int64?
    /// The provider's id (`batch_…`).
    public var batchID: String
    public var inputFileID: String
    /// The judge's base URL (`…/v1`): a batch is polled where it was submitted.
    public var endpoint: String
    public var judgeModel: String
    /// The provider's last reported status: validating, in_progress, finalizing, completed, failed,
    /// expired, cancelling or cancelled.
    public var status: String
    /// The judgment keys of its lines, as a JSON array.
    public var keys: String
    public var outputFileID: String?
    public var errorFileID: String?
    /// What went wrong with the batch as a whole, or lines that matched no request.
    public var errors: String?
    public var createdAt: Date
    public var collectedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, endpoint, status, keys, errors
        case batchID = "batch_id"
        case inputFileID = "input_file_id"
        case judgeModel = "judge_model"
        case outputFileID = "output_file_id"
        case errorFileID = "error_file_id"
        case createdAt = "created_at"
        case collectedAt = "collected_at"
    }

    public init(batchID: String, inputFileID: String, endpoint: String, judgeModel: String, status: String, keys: [String],
                createdAt: Date = Date()) {
        self.batchID = batchID
        self.inputFileID = inputFileID
        self.endpoint = endpoint
        self.judgeModel = judgeModel
        self.status = status
        self.keys = String(decoding: (try? JSONEncoder().encode(keys)) ?? Data("[]".utf8), as: UTF8.self)
        self.createdAt = createdAt
    }

    /// The judgment keys of its lines.
    public var keyList: [String] { (try? JSONDecoder().decode([String].self, from: Data(keys.utf8))) ?? [] }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
