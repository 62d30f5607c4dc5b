import Foundation
import GRDB

extension JudgeStore {
    // MARK: - Reading for ratings and reports

    /// Every resolved comparison of a suite, optionally of one task and one judge model.
    ///
    /// Only judgments of current candidates count (an output re-imported or regenerated since is
    /// ignored with its judgments). Order: by task, item, then pair. See ``ComparisonRecord`` for
    /// how the two orders are combined. For ratings alone, ``comparisonSummary(suite:task:judgeModel:sampleLimit:)``
    /// gives the same comparisons deduplicated, with far less memory.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the suite's judgments, then a sort of the comparisons.
    public func comparisons(suite: String, task: String? = nil, judgeModel: String? = nil) throws -> [ComparisonRecord] {
        try read { db in
            var resolved: [ComparisonScan.Resolved] = []
            let scan = try Self.scanComparisons(db, suite: suite, task: task, judgeModel: judgeModel) { r, _ in resolved.append(r) }
            resolved.sort { x, y in
                if x.task != y.task { return x.task < y.task }   // task indices follow task names
                if x.itemID != y.itemID { return x.itemID < y.itemID }
                if x.modelA != y.modelA { return scan.models[Int(x.modelA)] < scan.models[Int(y.modelA)] }
                if x.modelB != y.modelB { return scan.models[Int(x.modelB)] < scan.models[Int(y.modelB)] }
                let jx = scan.judges[Int(x.judge)], jy = scan.judges[Int(y.judge)]
                return (jx.model, jx.templateID, jx.templateVersion, x.candidateAID, x.candidateBID)
                    < (jy.model, jy.templateID, jy.templateVersion, y.candidateAID, y.candidateBID)
            }
            return resolved.map(scan.record)
        }
    }

    /// Judge-health aggregates over the same judgments as ``comparisons(suite:task:judgeModel:)``:
    /// first-position win rate, order disagreement rate, longer-answer win rate, unparsed and failed
    /// counts, tokens, cost and latency.
    public func judgeHealth(suite: String, task: String? = nil, judgeModel: String? = nil) throws -> JudgeHealth {
        try read { db in try Self.scanComparisons(db, suite: suite, task: task, judgeModel: judgeModel) { _, _ in }.health }
    }

    /// Up to `limit` resolved comparisons with their prompt, both outputs and the judge's raw replies,
    /// for a reader to check the judge by eye.
    ///
    /// A fair, deterministic mix (see ``SampleSelection``): taken in turn from every task and, within
    /// it, from decisive verdicts, ties and comparisons whose two orders disagreed — each a
    /// pseudo-random pick fixed by the store's contents — and listed by task, kind and item.
    public func sampleComparisons(suite: String, task: String? = nil, judgeModel: String? = nil, limit: Int = 20) throws -> [ComparisonSample] {
        try comparisonSummary(suite: suite, task: task, judgeModel: judgeModel, sampleLimit: limit).samples
    }

    /// The resolved comparisons deduplicated into counted groups, the judge's health and up to
    /// `sampleLimit` sample comparisons — everything a report reads — in one pass over the
    /// suite's judgments.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the suite's judgments; memory O(pairs judged) during the pass,
    ///   O(groups + samples) after it.
    public func comparisonSummary(suite: String, task: String? = nil, judgeModel: String? = nil,
                                  sampleLimit: Int = 20) throws -> ComparisonSummary {
        try read { db in
            struct GroupKey: Hashable { var task, modelA, modelB, judge: Int32; var outcome: Verdict }
            var counts: [GroupKey: Int] = [:]
            var selection = SampleSelection(limit: sampleLimit)
            let scan = try Self.scanComparisons(db, suite: suite, task: task, judgeModel: judgeModel) { r, _ in
                counts[GroupKey(task: r.task, modelA: r.modelA, modelB: r.modelB, judge: r.judge, outcome: r.outcome), default: 0] += 1
                selection.offer(r)
            }
            let groups = counts.map { key, count in
                let judge = scan.judges[Int(key.judge)]
                return ComparisonGroup(task: scan.tasks[Int(key.task)], heldOut: scan.heldOut[Int(key.task)],
                                       modelA: scan.models[Int(key.modelA)], modelB: scan.models[Int(key.modelB)],
                                       outcome: key.outcome, judgeModel: judge.model, templateID: judge.templateID,
                                       templateVersion: judge.templateVersion, count: count)
            }.sorted { x, y in
                if (x.task, x.modelA, x.modelB) != (y.task, y.modelA, y.modelB) {
                    return (x.task, x.modelA, x.modelB) < (y.task, y.modelA, y.modelB)
                }
                return (Self.order(x.outcome), x.judgeModel, x.templateID, x.templateVersion)
                    < (Self.order(y.outcome), y.judgeModel, y.templateID, y.templateVersion)
            }
            let samples = try selection.chosen(taskNames: scan.tasks).map { try Self.sample($0, scan: scan, db) }
            return ComparisonSummary(groups: groups, health: scan.health, samples: samples)
        }
    }

    /// The newest judgment's time in the given suites (nil when they hold none): a report's "as of"
    /// date, read from the store so that the same store always gives the same date.
    public func newestJudgment(suites: [String]) throws -> Date? {
        guard !suites.isEmpty else { return nil }
        return try read { db in
            try db.value(Date.self, """
                SELECT MAX(j.created_at) FROM judgment j
                JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id JOIN suite s ON s.id = t.suite_id
                WHERE s.name IN (\(placeholders(suites.count)))
                """, suites.map { $0 as (any DatabaseValueConvertible)? })
        }
    }

    // MARK: - Helpers

    /// A → B order of outcomes: A>>B, A>B, A=B, B>A, B>>A.
    static func order(_ v: Verdict) -> Int { Verdict.allCases.firstIndex(of: v)! }

    /// A chosen comparison with its prompt, outputs and raw replies.
    static func sample(_ r: ComparisonScan.Resolved, scan: ComparisonScan, _ db: any StoreDatabase) throws -> ComparisonSample {
        let a = try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE id = ?", [r.candidateAID])!
        let b = try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE id = ?", [r.candidateBID])!
        let item = try db.fetchOne(ItemRecord.self, "SELECT * FROM item WHERE id = ?", [r.itemID])!
        let judgments = try db.fetchAll(JudgmentRecord.self, "SELECT * FROM judgment WHERE id IN (\(placeholders(r.judgmentIDs.count)))",
                                        r.judgmentIDs.map { $0 as (any DatabaseValueConvertible)? })
            .sorted { ($0.position.rawValue, $0.id ?? 0) < ($1.position.rawValue, $1.id ?? 0) }
            .map { ComparisonSample.Judgment(position: $0.position, verdict: $0.verdict, rawReply: $0.rawReply) }
        return ComparisonSample(comparison: scan.record(r), prompt: item.prompt, reference: item.reference,
                                outputA: a.output, outputB: b.output, judgments: judgments)
    }
}
