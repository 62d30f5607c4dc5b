import GRDB

// MARK: - One pass over a suite's judgments

extension JudgeStore {
    /// A suite's judgments resolved into comparisons in one cursor pass.
    ///
    /// The small tables (tasks, items, models, current candidates with their output lengths) are
    /// read first into arrays indexed by row id; then every judgment of the suite is read once,
    /// nine columns by index (flags and verdict packed into one integer in SQL), its health figures counted on
    /// the spot and its (pair, judge, template) group updated in a hash table — so resolution
    /// does not depend on the order SQLite returns rows in, and no row is kept once counted.
    /// Each resolved comparison is then handed to `visit`, in no particular order: callers that
    /// need an order sort what they keep.
    /// - Complexity: one pass over the suite's judgments; memory O(groups), a few dozen bytes each.
    struct ComparisonScan {
        // MARK: Names (interned; the resolved comparisons refer to them by index)
        var tasks: [String] = []        // (tasks)
        var heldOut: [Bool] = []        // (tasks)
        var models: [String] = []       // (models)
        var judges: [JudgeKey] = []     // (judge, template, version) combinations
        var itemExternalID: [Int64: String] = [:]

        var health = JudgeHealth()

        struct JudgeKey: Hashable {
            var model: String
            var templateID: String
            var templateVersion: String
        }

        /// One resolved comparison, by index into the names above.
        struct Resolved {
            var task: Int32
            var modelA: Int32
            var modelB: Int32
            var judge: Int32
            var outcome: Verdict
            var ordersAgreed: Bool?
            var identicalOutputs: Bool
            var lengthA: Int32
            var lengthB: Int32
            var itemID: Int64
            var candidateAID: Int64
            var candidateBID: Int64
            /// The judgments combined: the identical-output tie, or the newest per position (`ab` first).
            var judgmentIDs: [Int64]
        }

        func record(_ r: Resolved) -> ComparisonRecord {
            let judge = judges[Int(r.judge)]
            return ComparisonRecord(
                task: tasks[Int(r.task)], heldOut: heldOut[Int(r.task)], itemID: itemExternalID[r.itemID] ?? "",
                modelA: models[Int(r.modelA)], modelB: models[Int(r.modelB)], outcome: r.outcome,
                lengthA: Int(r.lengthA), lengthB: Int(r.lengthB), ordersAgreed: r.ordersAgreed,
                identicalOutputs: r.identicalOutputs, judgeModel: judge.model,
                templateID: judge.templateID, templateVersion: judge.templateVersion)
        }
    }

    /// Scans `suite` (optionally one task and one judge model), calling `visit` with each resolved
    /// comparison; returns the names and the judge health (both-order and length figures included).
    static func scanComparisons(_ db: any StoreDatabase, suite: String, task: String?, judgeModel: String?,
                                visit: (ComparisonScan.Resolved, ComparisonScan) throws -> Void) throws -> ComparisonScan {
        guard let suiteID = try db.value(Int64.self, "SELECT id FROM suite WHERE name = ?", [suite]) else {
            throw StoreError.unknownSuite(suite)
        }
        var scan = ComparisonScan()

        // MARK: Tasks and items of the suite
        var taskArguments: [DatabaseValue] = [suiteID.databaseValue]
        var taskFilter = ""
        if let task { taskFilter = " AND t.name = ?"; taskArguments += [task.databaseValue] }
        var taskIndex: [Int64: Int32] = [:]
        try db.forEachValues("SELECT t.id, t.name, t.held_out FROM task t WHERE t.suite_id = ?\(taskFilter) ORDER BY t.name",
                             taskArguments) { row in
            taskIndex[Int64.fromDatabaseValue(row[0])!] = Int32(scan.tasks.count)
            scan.tasks.append(String.fromDatabaseValue(row[1])!)
            scan.heldOut.append(Bool.fromDatabaseValue(row[2])!)
        }
        let itemSQL = "SELECT i.id, i.task_id, i.external_id FROM item i JOIN task t ON t.id = i.task_id WHERE t.suite_id = ?\(taskFilter)"
        var itemTask: [Int32] = []      // (max item id + 1) → task index, −1 outside the suite or task
        try db.forEachValues(itemSQL, taskArguments) { row in
            let id = Int64.fromDatabaseValue(row[0])!
            Self.grow(&itemTask, to: id)
            itemTask[Int(id)] = taskIndex[Int64.fromDatabaseValue(row[1])!] ?? -1
            scan.itemExternalID[id] = String.fromDatabaseValue(row[2])
        }

        // MARK: Models and current candidates (with output lengths in characters)
        var modelIndex: [Int64: Int32] = [:]
        try db.forEachValues("SELECT id, name FROM model ORDER BY name", []) { row in
            modelIndex[Int64.fromDatabaseValue(row[0])!] = Int32(scan.models.count)
            scan.models.append(String.fromDatabaseValue(row[1])!)
        }
        var candidateLength: [Int32] = []   // (max candidate id + 1) → length, −1 when not current
        var candidateModel: [Int32] = []    // (max candidate id + 1) → model index
        var candidateItem: [Int32] = []     // (max candidate id + 1) → item id
        try db.forEachValues("""
            SELECT c.id, length(c.output), c.model_id, c.item_id FROM candidate c
            JOIN \(currentCandidatesSQL) cur ON cur.id = c.id
            JOIN item i ON i.id = c.item_id JOIN task t ON t.id = i.task_id
            WHERE t.suite_id = ?\(taskFilter)
            """, taskArguments) { row in
            let id = Int64.fromDatabaseValue(row[0])!
            guard let model = modelIndex[Int64.fromDatabaseValue(row[2])!] else { return }
            let item = Int64.fromDatabaseValue(row[3])!
            Self.grow(&candidateLength, to: id)
            Self.grow(&candidateModel, to: id)
            Self.grow(&candidateItem, to: id)
            candidateLength[Int(id)] = Int32(clamping: Int64.fromDatabaseValue(row[1])!)
            candidateModel[Int(id)] = model
            candidateItem[Int(id)] = Int32(item)
        }

        // MARK: The judgments, once
        // Ten columns: the id, both candidates (which give item, models and lengths), the flags and
        // verdict packed into one integer (SQLite's | and << share a precedence: every shift is bracketed), the judge and template as one string, the spend,
        // and the logprob verdict's preference (NULL for text verdicts).
        var sql = """
            SELECT j.id, j.candidate_a_id, j.candidate_b_id,
                   (CASE WHEN j.position = 'ab' THEN 1 ELSE 0 END) | ((CASE WHEN j.method = 'identical' THEN 1 ELSE 0 END) << 1)
                     | ((CASE WHEN j.unparsed <> 0 THEN 1 ELSE 0 END) << 2)
                     | ((CASE WHEN j.error IS NOT NULL THEN 1 ELSE 0 END) << 3) | (j.orders_planned << 4)
                     | ((CASE j.verdict WHEN 'A>>B' THEN 4 WHEN 'A>B' THEN 3 WHEN 'A=B' THEN 2
                                        WHEN 'B>A' THEN 1 WHEN 'B>>A' THEN 0 ELSE 7 END) << 8),
                   j.judge_model || \(db.character(31)) || j.template_id || \(db.character(31)) || j.template_version,
                   j.latency, j.prompt_tokens, j.completion_tokens, j.cost, j.preference
            FROM judgment j
            WHERE j.item_id IN (SELECT i.id FROM item i JOIN task t ON t.id = i.task_id WHERE t.suite_id = ?\(taskFilter))
            """
        var arguments = taskArguments
        if let judgeModel { sql += " AND j.judge_model = ?"; arguments += [judgeModel.databaseValue] }

        var judgeIndex: [String: Int32] = [:]
        var lastJudge: (key: String, index: Int32)?
        var pending: [PairKey: Pending] = [:]
        // At most one group per two judgments (both orders): room for them up front, not by rehashing.
        let judgments = try db.value(Int.self, "SELECT MAX(id) FROM judgment") ?? 0
        pending.reserveCapacity(min(judgments / 2 + 16, 4_000_000))
        var latencySum = 0.0, latencyCount = 0
        try db.forEachValues(sql, arguments) { row in
            let candidateA = Int64.fromDatabaseValue(row[1])!, candidateB = Int64.fromDatabaseValue(row[2])!
            // Only judgments of current candidates count.
            guard Self.isCurrent(candidateA, candidateLength), Self.isCurrent(candidateB, candidateLength) else { return }
            let itemID = Int64(candidateItem[Int(candidateA)])
            guard Int(itemID) < itemTask.count, itemTask[Int(itemID)] >= 0 else { return }
            let modelA = candidateModel[Int(candidateA)], modelB = candidateModel[Int(candidateB)]
            let id = Int64.fromDatabaseValue(row[0])!
            let flags = Int64.fromDatabaseValue(row[3])!
            let isAB = flags & 1 != 0
            let identical = flags & 2 != 0
            let unparsed = flags & 4 != 0
            let failed = flags & 8 != 0
            let planned = Int8(clamping: (flags >> 4) & 0xF)
            let verdictCode = (flags >> 8) & 7
            let verdict = verdictCode == 7 ? Pending.noVerdict : Int8(verdictCode) - 2
            let preference = Double.fromDatabaseValue(row[9]).map(Float.init) ?? -1

            // Health, per judge call.
            if !identical {
                scan.health.calls += 1
                if failed { scan.health.failed += 1 }
                if unparsed { scan.health.unparsed += 1 }
                if verdict != Pending.noVerdict {
                    scan.health.parsed += 1
                    switch verdict.signum() {
                    case 1: scan.health.firstPositionWins += 1
                    case -1: scan.health.secondPositionWins += 1
                    default: scan.health.ties += 1
                    }
                }
                scan.health.promptTokens += Int.fromDatabaseValue(row[6]) ?? 0
                scan.health.completionTokens += Int.fromDatabaseValue(row[7]) ?? 0
                scan.health.cost += Double.fromDatabaseValue(row[8]) ?? 0
                if !failed, let latency = Double.fromDatabaseValue(row[5]) { latencySum += latency; latencyCount += 1 }
            }

            // The (pair, judge, template) group.
            let joined = String.fromDatabaseValue(row[4])!   // judge model ␟ template id ␟ template version
            let judge: Int32
            if let last = lastJudge, last.key == joined { judge = last.index }   // runs of one judge: no hashing
            else if let found = judgeIndex[joined] { judge = found; lastJudge = (joined, found) }
            else {
                judge = Int32(scan.judges.count)
                judgeIndex[joined] = judge
                let parts = joined.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
                scan.judges.append(ComparisonScan.JudgeKey(model: parts[0], templateID: parts.count > 1 ? parts[1] : "",
                                                           templateVersion: parts.count > 2 ? parts[2] : ""))
                lastJudge = (joined, judge)
            }
            // One hash look-up, the group updated in place.
            pending[PairKey(candidateA: candidateA, candidateB: candidateB, judge: judge),
                    default: Pending(itemID: itemID, modelA: modelA, modelB: modelB)]
                .add(id: id, isAB: isAB, identical: identical, planned: planned, verdict: verdict, preference: preference)
        }
        scan.health.meanLatency = latencyCount == 0 ? nil : latencySum / Double(latencyCount)

        // MARK: Resolution (see ComparisonRecord for the rules)
        for (key, group) in pending {
            guard let (outcome, agreed, identical, ids) = group.resolved() else {
                scan.health.unresolvedComparisons += 1
                continue
            }
            let lengthA = candidateLength[Int(key.candidateA)], lengthB = candidateLength[Int(key.candidateB)]
            scan.health.resolvedComparisons += 1
            if identical { scan.health.identicalOutputTies += 1 }
            if let agreed {
                scan.health.bothOrderComparisons += 1
                if !agreed { scan.health.orderDisagreements += 1 }
            }
            if outcome.direction != 0, lengthA != lengthB {
                scan.health.decisiveWithLengthDifference += 1
                if (lengthA > lengthB) == (outcome.direction == 1) { scan.health.longerAnswerWins += 1 }
            }
            try visit(ComparisonScan.Resolved(
                task: itemTask[Int(group.itemID)], modelA: group.modelA, modelB: group.modelB, judge: key.judge,
                outcome: outcome, ordersAgreed: agreed, identicalOutputs: identical, lengthA: lengthA, lengthB: lengthB,
                itemID: group.itemID, candidateAID: key.candidateA, candidateBID: key.candidateB, judgmentIDs: ids), scan)
        }
        return scan
    }

    // MARK: - Helpers

    private static func grow(_ array: inout [Int32], to id: Int64) {
        precondition(id >= 0 && id < Int64(Int32.max), "row id \(id) out of range")
        if Int(id) >= array.count { array += [Int32](repeating: -1, count: Int(id) + 1 - array.count + 1024) }
    }

    @inline(__always) private static func isCurrent(_ id: Int64, _ lengths: [Int32]) -> Bool {
        id >= 0 && Int(id) < lengths.count && lengths[Int(id)] >= 0
    }

    /// The group of a pair's judgments: both candidates (so item and models) and the judge/template.
    struct PairKey: Hashable {
        var candidateA: Int64
        var candidateB: Int64
        var judge: Int32
    }

    /// What resolution needs of a group's judgments: the newest per position and any identical tie.
    struct Pending {
        static let noVerdict: Int8 = 127
        var itemID: Int64
        var modelA: Int32
        var modelB: Int32
        var planned: Int8 = 1
        var identicalID: Int64 = -1
        var abID: Int64 = -1
        var abVerdict: Int8 = noVerdict   // presented terms, 2 (A>>B) … −2 (B>>A)
        var baID: Int64 = -1
        var baVerdict: Int8 = noVerdict
        /// P(the answer shown first is better) of the newest judgment per position; −1 for text verdicts.
        var abPreference: Float = -1
        var baPreference: Float = -1

        /// Counts one judgment in: the newest per position (by id) wins, whatever the row order.
        mutating func add(id: Int64, isAB: Bool, identical: Bool, planned: Int8, verdict: Int8, preference: Float = -1) {
            self.planned = max(self.planned, planned)
            if identical {
                identicalID = max(identicalID, id)
            } else if isAB {
                if id > abID { abID = id; abVerdict = verdict; abPreference = preference }
            } else {
                if id > baID { baID = id; baVerdict = verdict; baPreference = preference }
            }
        }

        /// Logprob verdicts in both orders: the preference for model A averaged over the two orders
        /// (balanced position calibration, Wang et al. 2023, "Large Language Models are not Fair
        /// Evaluators"), decisive unless exactly even. A judge that always favours the first position
        /// (small local judges do, with P ≈ 0.8 whatever it reads) still ranks by how much more it
        /// favours the better answer when that one comes first; the argmax per order, combined as text
        /// verdicts are, would call every such pair a tie.
        static func calibrated(ab: Float, ba: Float) -> Verdict {
            let preferenceA = (ab + (1 - ba)) / 2    // ba presents model B first: 1 − P(B better)
            return preferenceA > 0.5 ? .aBetter : preferenceA < 0.5 ? .bBetter : .tie
        }

        static func verdict(_ code: Int8) -> Verdict? {
            switch code {
            case 2: .aMuchBetter
            case 1: .aBetter
            case 0: .tie
            case -1: .bBetter
            case -2: .bMuchBetter
            default: nil
            }
        }

        /// The combined canonical verdict, whether the orders agreed, whether it is an identical-output
        /// tie, and the judgments used; nil when unresolved (an order unparsed, failed or missing).
        func resolved() -> (Verdict, Bool?, Bool, [Int64])? {
            if identicalID >= 0 { return (.tie, nil, true, [identicalID]) }
            let ab = Self.verdict(abVerdict)                 // canonical = presented for ab
            let ba = Self.verdict(baVerdict)?.flipped        // presented B is model A for ba
            let ids = [abID, baID].filter { $0 >= 0 }
            switch (ab, ba) {
            case let (x?, y?):
                let combined = Verdict.combine(x, y)
                if abPreference >= 0, baPreference >= 0 {
                    return (Self.calibrated(ab: abPreference, ba: baPreference), combined.agreed, false, ids)
                }
                return (combined.verdict, combined.agreed, false, ids)
            case let (x?, nil) where planned == 1, let (nil, x?) where planned == 1:
                return (x, nil, false, ids)
            default:
                return nil
            }
        }
    }
}
