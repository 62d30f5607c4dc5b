import Foundation
import GRDB

/// One output to import: which model said what for which stored item.
public struct CandidateImport: Sendable, Hashable {
    public var model: String
    public var itemID: Int64
    public var output: String

    public init(model: String, itemID: Int64, output: String) {
        self.model = model
        self.itemID = itemID
        self.output = output
    }
}

/// What an import changed.
public struct ImportSummary: Sendable, Hashable {
    /// Outputs for (model, item) pairs that had none.
    public var added = 0
    /// Outputs that differ from the current one of their (model, item): they become current.
    public var replaced = 0
    /// Outputs already stored as the current one: nothing to do.
    public var unchanged = 0
    /// Models created because the store did not know them.
    public var newModels: [String] = []
}

/// The current output of one model on one item, with the ids a judgment refers to.
public struct CurrentCandidate: Sendable, Hashable {
    public var candidateID: Int64
    public var modelID: Int64
    public var model: String
    public var itemID: Int64
    public var output: String
}

extension JudgeStore {
    // MARK: - Candidate outputs

    /// Imports outputs in one transaction (all or nothing), keyed by the hash of the output text.
    ///
    /// Unknown models are created as `imported`; an output equal to the current one is left alone;
    /// a different one becomes current (the previous stays stored, with its judgments).
    public func importCandidates(_ imports: [CandidateImport]) throws -> ImportSummary {
        try serializedWrite { db in
            var summary = ImportSummary()
            var modelIDs: [String: Int64] = [:]
            for entry in imports {
                let modelID: Int64
                if let id = modelIDs[entry.model] {
                    modelID = id
                } else if let existing = try db.fetchOne(ModelRecord.self, "SELECT * FROM model WHERE name = ?", [entry.model]) {
                    modelID = existing.id!
                } else {
                    var model = ModelRecord(id: nil, name: entry.model, kind: "imported", spec: nil)
                    try db.insert(&model)
                    modelID = model.id!
                    summary.newModels.append(entry.model)
                }
                modelIDs[entry.model] = modelID
                let hadCurrent = try Self.currentCandidate(db, modelID: modelID, itemID: entry.itemID) != nil
                let record = CandidateRecord(modelID: modelID, itemID: entry.itemID, output: entry.output,
                                             contentKey: Self.importKey(entry.output), source: "import")
                switch try Self.store(db, record) {
                case .alreadyCurrent: summary.unchanged += 1
                case .stored: if hadCurrent { summary.replaced += 1 } else { summary.added += 1 }
                }
            }
            return summary
        }
    }

    /// Stores one output (a generated one, end-to-end issue) and makes it current for its (model, item).
    ///
    /// When (model, item, contentKey) is already stored, that row is reused (and made current again if
    /// it was not): a generator calls this after ``candidate(modelID:itemID:contentKey:)`` found nothing.
    /// `revision` is assigned by the store.
    @discardableResult
    public func saveCandidate(_ candidate: CandidateRecord) throws -> CandidateRecord {
        try serializedWrite { db in
            _ = try Self.store(db, candidate)
            return try Self.currentCandidate(db, modelID: candidate.modelID, itemID: candidate.itemID)!
        }
    }

    /// The candidate stored under `contentKey` for (model, item), if any: a generator's "already done?" check.
    public func candidate(modelID: Int64, itemID: Int64, contentKey: String) throws -> CandidateRecord? {
        try read { db in try Self.candidate(db, modelID: modelID, itemID: itemID, contentKey: contentKey) }
    }

    /// The current output of each of `models` on each item of the suite's `tasks` (every task when nil).
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    public func currentCandidates(suite: String, models: [String], tasks: [String]? = nil) throws -> [CurrentCandidate] {
        try read { db in
            guard let suiteID = try db.value(Int64.self, "SELECT id FROM suite WHERE name = ?", [suite]) else {
                throw StoreError.unknownSuite(suite)
            }
            let rows = try db.rows("""
                SELECT c.id AS candidate_id, c.model_id, m.name AS model, c.item_id, c.output, t.name AS task
                FROM candidate c
                JOIN \(Self.currentCandidatesSQL) cur ON cur.id = c.id
                JOIN model m ON m.id = c.model_id
                JOIN item i ON i.id = c.item_id
                JOIN task t ON t.id = i.task_id
                WHERE t.suite_id = ?
                ORDER BY c.item_id, m.name
                """, [suiteID])
            let wantedModels = Set(models)
            let wantedTasks = tasks.map(Set.init)
            return rows.compactMap { row in
                let model: String = row["model"]
                let task: String = row["task"]
                guard wantedModels.contains(model), wantedTasks?.contains(task) ?? true else { return nil }
                return CurrentCandidate(candidateID: row["candidate_id"], modelID: row["model_id"], model: model,
                                        itemID: row["item_id"], output: row["output"])
            }
        }
    }

    // MARK: - Internals

    /// A subquery of the ids of current candidates (highest revision per model and item).
    static let currentCandidatesSQL = """
        (SELECT c2.id FROM candidate c2
         JOIN (SELECT model_id, item_id, MAX(revision) AS revision FROM candidate GROUP BY model_id, item_id) top
           ON top.model_id = c2.model_id AND top.item_id = c2.item_id AND top.revision = c2.revision)
        """

    static func importKey(_ output: String) -> String { ContentKey.make(["import", output]) }

    enum StoreOutcome { case alreadyCurrent, stored }

    /// Inserts `record`, or raises the revision of its existing twin, so that it is current.
    static func store(_ db: any StoreDatabase, _ record: CandidateRecord) throws -> StoreOutcome {
        let current = try currentCandidate(db, modelID: record.modelID, itemID: record.itemID)
        if let current, current.contentKey == record.contentKey { return .alreadyCurrent }
        let next = (current?.revision ?? 0) + 1
        if var twin = try candidate(db, modelID: record.modelID, itemID: record.itemID, contentKey: record.contentKey) {
            twin.revision = next
            try db.update(twin)
        } else {
            var row = record
            row.id = nil
            row.revision = next
            try db.insert(&row)
        }
        return .stored
    }

    static func candidate(_ db: any StoreDatabase, modelID: Int64, itemID: Int64, contentKey: String) throws -> CandidateRecord? {
        try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE model_id = ? AND item_id = ? AND content_key = ?",
                        [modelID, itemID, contentKey])
    }

    static func currentCandidate(_ db: any StoreDatabase, modelID: Int64, itemID: Int64) throws -> CandidateRecord? {
        try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE model_id = ? AND item_id = ? ORDER BY revision DESC LIMIT 1",
                        [modelID, itemID])
    }
}
