import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Suites, tasks, items, models

    /// Records a suite (or brings a stored one up to date) in one transaction, and returns its row ids.
    ///
    /// Tasks and items are matched by name and external id: a changed prompt, reference or held-out
    /// flag is updated in place (judgments of a changed prompt get new keys and are judged anew).
    /// Items no longer in the suite are kept, with their candidates and judgments: history is not deleted.
    /// Models are global, matched by name; a model's kind and spec are updated.
    @discardableResult
    public func saveSuite(_ definition: SuiteDefinition) throws -> SuiteIDs {
        try writer.write { db in
            var suite = try SuiteRecord.filter(SuiteRecord.Columns.name == definition.name).fetchOne(db)
                ?? SuiteRecord(id: nil, name: definition.name, file: definition.file, createdAt: Date())
            suite.file = definition.file ?? suite.file
            try suite.save(db)
            let suiteID = suite.id!

            var ids = SuiteIDs(suiteID: suiteID, tasks: [:], items: [:], models: [:])
            for task in definition.tasks {
                var record = try TaskRecord
                    .filter(TaskRecord.Columns.suiteID == suiteID && TaskRecord.Columns.name == task.name)
                    .fetchOne(db) ?? TaskRecord(id: nil, suiteID: suiteID, name: task.name, description: nil, heldOut: false)
                record.description = task.description
                record.heldOut = task.heldOut
                try record.save(db)
                let taskID = record.id!
                ids.tasks[task.name] = taskID

                let existing = try ItemRecord.filter(ItemRecord.Columns.taskID == taskID).fetchAll(db)
                var byExternalID = Dictionary(existing.map { ($0.externalID, $0) }, uniquingKeysWith: { first, _ in first })
                var itemIDs: [String: Int64] = [:]
                for item in task.items {
                    var row = byExternalID[item.id]
                        ?? ItemRecord(id: nil, taskID: taskID, externalID: item.id, prompt: item.prompt)
                    let before = row
                    row.prompt = item.prompt
                    row.system = item.system
                    row.reference = item.reference
                    if row.id == nil || row != before { try row.save(db) }
                    byExternalID[item.id] = row
                    itemIDs[item.id] = row.id!
                }
                ids.items[task.name] = itemIDs
            }
            for model in definition.models {
                ids.models[model.name] = try Self.upsertModel(db, name: model.name, kind: model.kind, spec: model.spec).id!
            }
            return ids
        }
    }

    /// The row ids of a stored suite, as ``saveSuite(_:)`` returns them (models: every stored model).
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    public func suiteIDs(_ name: String) throws -> SuiteIDs {
        try writer.read { db in
            guard let suite = try SuiteRecord.filter(SuiteRecord.Columns.name == name).fetchOne(db) else {
                throw StoreError.unknownSuite(name)
            }
            var ids = SuiteIDs(suiteID: suite.id!, tasks: [:], items: [:], models: [:])
            for task in try TaskRecord.filter(TaskRecord.Columns.suiteID == suite.id!).fetchAll(db) {
                ids.tasks[task.name] = task.id!
                let items = try ItemRecord.filter(ItemRecord.Columns.taskID == task.id!).fetchAll(db)
                ids.items[task.name] = Dictionary(items.map { ($0.externalID, $0.id!) }, uniquingKeysWith: { a, _ in a })
            }
            for model in try ModelRecord.fetchAll(db) { ids.models[model.name] = model.id! }
            return ids
        }
    }

    /// The names of every stored suite, sorted.
    public func suiteNames() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM suite ORDER BY name") }
    }

    /// Adds a model, or returns the stored one of that name (kind and spec updated when given).
    @discardableResult
    public func saveModel(name: String, kind: String = "imported", spec: String? = nil) throws -> ModelRecord {
        try writer.write { db in try Self.upsertModel(db, name: name, kind: kind, spec: spec) }
    }

    static func upsertModel(_ db: Database, name: String, kind: String, spec: String?) throws -> ModelRecord {
        var record = try ModelRecord.filter(ModelRecord.Columns.name == name).fetchOne(db)
            ?? ModelRecord(id: nil, name: name, kind: kind, spec: spec)
        let before = record
        record.kind = kind
        record.spec = spec ?? record.spec
        if record.id == nil || record != before { try record.save(db) }
        return record
    }
}
