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
        try serializedWrite { db in
            var suite = try db.fetchOne(SuiteRecord.self, "SELECT * FROM suite WHERE name = ?", [definition.name])
                ?? SuiteRecord(id: nil, name: definition.name, file: definition.file, createdAt: Date())
            suite.file = definition.file ?? suite.file
            try db.save(&suite)
            let suiteID = suite.id!

            var ids = SuiteIDs(suiteID: suiteID, tasks: [:], items: [:], models: [:])
            for task in definition.tasks {
                var record = try db.fetchOne(TaskRecord.self, "SELECT * FROM task WHERE suite_id = ? AND name = ?", [suiteID, task.name])
                    ?? TaskRecord(id: nil, suiteID: suiteID, name: task.name, description: nil, heldOut: false)
                record.description = task.description
                record.heldOut = task.heldOut
                try db.save(&record)
                let taskID = record.id!
                ids.tasks[task.name] = taskID

                let existing = try db.fetchAll(ItemRecord.self, "SELECT * FROM item WHERE task_id = ?", [taskID])
                var byExternalID = Dictionary(existing.map { ($0.externalID, $0) }, uniquingKeysWith: { first, _ in first })
                var itemIDs: [String: Int64] = [:]
                for item in task.items {
                    var row = byExternalID[item.id]
                        ?? ItemRecord(id: nil, taskID: taskID, externalID: item.id, prompt: item.prompt)
                    let before = row
                    row.prompt = item.prompt
                    row.system = item.system
                    row.reference = item.reference
                    if row.id == nil || row != before { try db.save(&row) }
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
        try read { db in
            guard let suite = try db.fetchOne(SuiteRecord.self, "SELECT * FROM suite WHERE name = ?", [name]) else {
                throw StoreError.unknownSuite(name)
            }
            var ids = SuiteIDs(suiteID: suite.id!, tasks: [:], items: [:], models: [:])
            for task in try db.fetchAll(TaskRecord.self, "SELECT * FROM task WHERE suite_id = ? ORDER BY id", [suite.id!]) {
                ids.tasks[task.name] = task.id!
                let items = try db.fetchAll(ItemRecord.self, "SELECT * FROM item WHERE task_id = ? ORDER BY id", [task.id!])
                ids.items[task.name] = Dictionary(items.map { ($0.externalID, $0.id!) }, uniquingKeysWith: { a, _ in a })
            }
            for model in try db.fetchAll(ModelRecord.self, "SELECT * FROM model ORDER BY id") { ids.models[model.name] = model.id! }
            return ids
        }
    }

    /// The names of every stored suite, sorted.
    public func suiteNames() throws -> [String] {
        try read { db in try db.values(String.self, "SELECT name FROM suite ORDER BY name") }
    }

    /// Adds a model, or returns the stored one of that name (kind and spec updated when given).
    @discardableResult
    public func saveModel(name: String, kind: String = "imported", spec: String? = nil) throws -> ModelRecord {
        try serializedWrite { db in try Self.upsertModel(db, name: name, kind: kind, spec: spec) }
    }

    static func upsertModel(_ db: any StoreDatabase, name: String, kind: String, spec: String?) throws -> ModelRecord {
        var record = try db.fetchOne(ModelRecord.self, "SELECT * FROM model WHERE name = ?", [name])
            ?? ModelRecord(id: nil, name: name, kind: kind, spec: spec)
        let before = record
        record.kind = kind
        record.spec = spec ?? record.spec
        if record.id == nil || record != before { try db.save(&record) }
        return record
    }
}
