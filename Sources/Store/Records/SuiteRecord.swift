import Foundation
import GRDB

/// A row of `suite`: one suite, keyed by its name.
public struct SuiteRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "suite"
    public var id: Int64?
    public var name: String
    /// The suite file's path when it was last synced (informational).
    public var file: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, file
        case createdAt = "created_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
