import GRDB

extension JudgeStore {
    // MARK: - Reading for ratings and reports

    /// Every resolved comparison of a suite, optionally of one task and one judge model.
    ///
    /// Only judgments of current candidates count (an output re-imported or regenerated since is
    /// ignored with its judgments). Order: by item, then pair. See ``ComparisonRecord`` for how the
    /// two orders are combined.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the suite's judgments.
    public func comparisons(suite: String, task: String? = nil, judgeModel: String? = nil) throws -> [ComparisonRecord] {
        try writer.read { db in try Self.resolvedGroups(db, suite: suite, task: task, judgeModel: judgeModel).resolved.map(\.record) }
    }

    /// Judge-health aggregates over the same judgments as ``comparisons(suite:task:judgeModel:)``:
    /// first-position win rate, order disagreement rate, longer-answer win rate, unparsed and failed
    /// counts, tokens, cost and latency.
    public func judgeHealth(suite: String, task: String? = nil, judgeModel: String? = nil) throws -> JudgeHealth {
        try writer.read { db in
            let groups = try Self.resolvedGroups(db, suite: suite, task: task, judgeModel: judgeModel)
            var health = JudgeHealth()
            var latencySum = 0.0
            var latencyCount = 0
            for row in groups.rows where row.method == .judge {
                health.calls += 1
                if row.error != nil { health.failed += 1 }
                if row.unparsed { health.unparsed += 1 }
                if let verdict = row.verdict {
                    health.parsed += 1
                    switch verdict.direction {
                    case 1: health.firstPositionWins += 1
                    case -1: health.secondPositionWins += 1
                    default: health.ties += 1
                    }
                }
                health.promptTokens += row.promptTokens ?? 0
                health.completionTokens += row.completionTokens ?? 0
                health.cost += row.cost ?? 0
                if row.error == nil, let latency = row.latency { latencySum += latency; latencyCount += 1 }
            }
            health.meanLatency = latencyCount == 0 ? nil : latencySum / Double(latencyCount)
            health.resolvedComparisons = groups.resolved.count
            health.unresolvedComparisons = groups.unresolved
            for group in groups.resolved {
                let record = group.record
                if record.identicalOutputs { health.identicalOutputTies += 1 }
                if let agreed = record.ordersAgreed {
                    health.bothOrderComparisons += 1
                    if !agreed { health.orderDisagreements += 1 }
                }
                if record.outcome.direction != 0, record.lengthA != record.lengthB {
                    health.decisiveWithLengthDifference += 1
                    let longerIsA = record.lengthA > record.lengthB
                    if longerIsA == (record.outcome.direction == 1) { health.longerAnswerWins += 1 }
                }
            }
            return health
        }
    }

    /// Up to `limit` resolved comparisons with their prompt, both outputs and the judge's raw replies,
    /// for a reader to check the judge by eye.
    ///
    /// Deterministic: comparisons where the two orders disagreed come first (they show the judge at its
    /// least sure), then the rest spread evenly over the suite (every n-th in item order).
    public func sampleComparisons(suite: String, task: String? = nil, judgeModel: String? = nil, limit: Int = 20) throws -> [ComparisonSample] {
        try writer.read { db in
            let resolved = try Self.resolvedGroups(db, suite: suite, task: task, judgeModel: judgeModel).resolved
            guard limit > 0, !resolved.isEmpty else { return [] }
            let disagreeing = resolved.filter { $0.record.ordersAgreed == false }
            var chosen = Array(disagreeing.prefix(limit))
            let rest = resolved.filter { $0.record.ordersAgreed != false }
            let remaining = limit - chosen.count
            if remaining > 0, !rest.isEmpty {
                let step = max(1, rest.count / remaining)
                chosen += stride(from: 0, to: rest.count, by: step).prefix(remaining).map { rest[$0] }
            }
            return try chosen.map { group in
                let a = try CandidateRecord.fetchOne(db, key: group.candidateAID)!
                let b = try CandidateRecord.fetchOne(db, key: group.candidateBID)!
                let item = try ItemRecord.fetchOne(db, key: a.itemID)!
                let judgments = try JudgmentRecord.fetchAll(db, keys: group.judgmentIDs)
                    .sorted { ($0.position.rawValue, $0.id ?? 0) < ($1.position.rawValue, $1.id ?? 0) }
                    .map { ComparisonSample.Judgment(position: $0.position, verdict: $0.verdict, rawReply: $0.rawReply) }
                return ComparisonSample(comparison: group.record, prompt: item.prompt, reference: item.reference,
                                        outputA: a.output, outputB: b.output, judgments: judgments)
            }
        }
    }

    // MARK: - Resolution

    /// One stored judgment with what resolution needs (names and lengths joined in).
    struct JudgmentRow {
        var id: Int64
        var itemID: Int64
        var candidateAID: Int64
        var candidateBID: Int64
        var position: JudgmentRecord.Position
        var ordersPlanned: Int
        var templateID: String
        var templateVersion: String
        var judgeModel: String
        var method: JudgmentRecord.Method
        var verdict: Verdict?
        var unparsed: Bool
        var error: String?
        var latency: Double?
        var promptTokens: Int?
        var completionTokens: Int?
        var cost: Double?
        var task: String
        var heldOut: Bool
        var externalID: String
        var modelA: String
        var modelB: String
        var lengthA: Int
        var lengthB: Int
    }

    struct ResolvedGroup {
        var record: ComparisonRecord
        var candidateAID: Int64
        var candidateBID: Int64
        var judgmentIDs: [Int64]
    }

    static func resolvedGroups(_ db: Database, suite: String, task: String?, judgeModel: String?)
        throws -> (rows: [JudgmentRow], resolved: [ResolvedGroup], unresolved: Int) {
        guard let suiteID = try Int64.fetchOne(db, sql: "SELECT id FROM suite WHERE name = ?", arguments: [suite]) else {
            throw StoreError.unknownSuite(suite)
        }
        var sql = """
            SELECT j.id, j.item_id, j.candidate_a_id, j.candidate_b_id, j.position, j.orders_planned,
                   j.template_id, j.template_version, j.judge_model, j.method, j.verdict, j.unparsed, j.error,
                   j.latency, j.prompt_tokens, j.completion_tokens, j.cost,
                   t.name AS task, t.held_out, i.external_id, ma.name AS model_a, mb.name AS model_b,
                   length(ca.output) AS length_a, length(cb.output) AS length_b
            FROM judgment j
            JOIN item i ON i.id = j.item_id
            JOIN task t ON t.id = i.task_id
            JOIN model ma ON ma.id = j.model_a_id
            JOIN model mb ON mb.id = j.model_b_id
            JOIN candidate ca ON ca.id = j.candidate_a_id
            JOIN candidate cb ON cb.id = j.candidate_b_id
            WHERE t.suite_id = ?
              AND j.candidate_a_id IN \(currentCandidatesSQL)
              AND j.candidate_b_id IN \(currentCandidatesSQL)
            """
        var arguments: StatementArguments = [suiteID]
        if let task { sql += " AND t.name = ?"; arguments += [task] }
        if let judgeModel { sql += " AND j.judge_model = ?"; arguments += [judgeModel] }
        sql += " ORDER BY t.name, j.item_id, ma.name, mb.name, j.judge_model, j.template_id, j.template_version, j.id"

        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            JudgmentRow(
                id: row["id"], itemID: row["item_id"], candidateAID: row["candidate_a_id"], candidateBID: row["candidate_b_id"],
                position: row["position"], ordersPlanned: row["orders_planned"], templateID: row["template_id"],
                templateVersion: row["template_version"], judgeModel: row["judge_model"], method: row["method"],
                verdict: row["verdict"], unparsed: row["unparsed"], error: row["error"], latency: row["latency"],
                promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"], cost: row["cost"],
                task: row["task"], heldOut: row["held_out"], externalID: row["external_id"],
                modelA: row["model_a"], modelB: row["model_b"], lengthA: row["length_a"], lengthB: row["length_b"])
        }

        var resolved: [ResolvedGroup] = []
        var unresolved = 0
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count, sameGroup(rows[start], rows[end]) { end += 1 }
            if let group = resolve(rows[start..<end]) { resolved.append(group) } else { unresolved += 1 }
            start = end
        }
        return (rows, resolved, unresolved)
    }

    static func sameGroup(_ x: JudgmentRow, _ y: JudgmentRow) -> Bool {
        x.itemID == y.itemID && x.candidateAID == y.candidateAID && x.candidateBID == y.candidateBID
            && x.judgeModel == y.judgeModel && x.templateID == y.templateID && x.templateVersion == y.templateVersion
    }

    /// Combines one group's judgments (same item, candidates, judge and template) into a comparison.
    static func resolve(_ group: ArraySlice<JudgmentRow>) -> ResolvedGroup? {
        let first = group.first!
        func record(_ outcome: Verdict, agreed: Bool?, identical: Bool) -> ComparisonRecord {
            ComparisonRecord(task: first.task, heldOut: first.heldOut, itemID: first.externalID,
                             modelA: first.modelA, modelB: first.modelB, outcome: outcome,
                             lengthA: first.lengthA, lengthB: first.lengthB, ordersAgreed: agreed,
                             identicalOutputs: identical, judgeModel: first.judgeModel,
                             templateID: first.templateID, templateVersion: first.templateVersion)
        }
        if let identical = group.last(where: { $0.method == .identical }) {
            return ResolvedGroup(record: record(.tie, agreed: nil, identical: true), candidateAID: first.candidateAID,
                                 candidateBID: first.candidateBID, judgmentIDs: [identical.id])
        }
        // The newest judgment per position (rows are in id order).
        let ab = group.last { $0.position == .ab }
        let ba = group.last { $0.position == .ba }
        let planned = group.map(\.ordersPlanned).max() ?? 1
        let abVerdict = ab?.verdict
        let baVerdict = ba?.verdict.map(\.flipped)
        let outcome: (Verdict, Bool?)
        switch (abVerdict, baVerdict) {
        case let (x?, y?):
            let combined = Verdict.combine(x, y)
            outcome = (combined.verdict, combined.agreed)
        case let (x?, nil) where planned == 1, let (nil, x?) where planned == 1:
            outcome = (x, nil)
        default:
            return nil
        }
        return ResolvedGroup(record: record(outcome.0, agreed: outcome.1, identical: false),
                             candidateAID: first.candidateAID, candidateBID: first.candidateBID,
                             judgmentIDs: [ab?.id, ba?.id].compactMap { $0 })
    }
}
