import GRDB

/// A row of `model`: a candidate model, keyed by its name across suites.
public struct ModelRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model"
    public var id: Int64?
    public var name: String
    /// `imported`, `local` or `remote`.
    public var kind: String
    /// The model's settings as JSON text (path, sampling, …); never an API key.
    public var spec: String?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
