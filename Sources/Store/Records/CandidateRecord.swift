import Foundation
import GRDB

/// A row of `candidate`: one model's output for one item.
///
/// `contentKey` identifies how the output was made, so a generator can tell whether it is current:
/// imports use the hash of the output text; generation (end-to-end issue) uses the hash of the
/// model file, the settings and the rendered prompt. (model, item, contentKey) is unique; when a
/// model has several candidates for an item, the one with the highest `revision` is the current one
/// (storing an output again — a re-import of an older text — raises its revision; rows are never
/// deleted, so the judgments that refer to them stay).
public struct CandidateRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "candidate"
    public var id: Int64?
    public var modelID: Int64
    public var itemID: Int64
    public var output: String
    public var contentKey: String
    /// `import`, `local` or `remote`.
    public var source: String
    /// Generation settings as JSON text, for display; `nil` for imports.
    public var settings: String?
    /// Per (model, item): 1, 2, …; the highest is current. Set by the store.
    public var revision: Int
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, output, source, settings, revision
        case modelID = "model_id"
        case itemID = "item_id"
        case contentKey = "content_key"
        case createdAt = "created_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let modelID = Column(CodingKeys.modelID)
        public static let itemID = Column(CodingKeys.itemID)
        public static let contentKey = Column(CodingKeys.contentKey)
        public static let revision = Column(CodingKeys.revision)
    }

    public init(id: Int64? = nil, modelID: Int64, itemID: Int64, output: String, contentKey: String,
                source: String, settings: String? = nil, revision: Int = 0, createdAt: Date = Date()) {
        self.id = id
        self.modelID = modelID
        self.itemID = itemID
        self.output = output
        self.contentKey = contentKey
        self.source = source
        self.settings = settings
        self.revision = revision
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
