import GRDB

/// A row of `item`: one prompt of a task. `externalID` is the id from the items file.
public struct ItemRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "item"
    public var id: Int64?
    public var taskID: Int64
    public var externalID: String
    public var prompt: String
    public var system: String?
    public var reference: String?

    enum CodingKeys: String, CodingKey {
        case id, prompt, system, reference
        case taskID = "task_id"
        case externalID = "external_id"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let taskID = Column(CodingKeys.taskID)
        public static let externalID = Column(CodingKeys.externalID)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
