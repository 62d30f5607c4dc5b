import GRDB

/// A row of `task`: one task of a suite, with its held-out flag.
public struct TaskRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "task"
    public var id: Int64?
    public var suiteID: Int64
    public var name: String
    public var description: String?
    public var heldOut: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case suiteID = "suite_id"
        case heldOut = "held_out"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let suiteID = Column(CodingKeys.suiteID)
        public static let name = Column(CodingKeys.name)
        public static let heldOut = Column(CodingKeys.heldOut)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
