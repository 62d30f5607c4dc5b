import GRDB

// MARK: - Reading judgments for the comparison stage: rows, configurations, details

extension JudgeStore {
    /// Every judgment one judge configuration made on a suite's current outputs (optionally of one task),
    /// handed to `visit` one row at a time, in no particular order; returns the suite's names the rows
    /// refer to by index.
    ///
    /// The small tables (tasks, items, models, current candidates with their output lengths) are read
    /// first into arrays indexed by row id; then the judgments are read once through a cursor, nine
    /// columns by index (flags and verdict packed into one integer in SQL), each joined to its item,
    /// models and lengths on the spot — no row is kept. Judgments of superseded outputs are skipped.
    /// What the rows mean (the two-order rule, ties, health) is the comparison stage's business.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the suite's judgments; memory O(items + candidates).
    public func judgmentRows(suite: String, task: String? = nil, judge: JudgeConfiguration,
                             _ visit: (JudgmentRow) throws -> Void) throws -> SuiteIndex {
        try read { db in try Self.judgmentRows(db, suite: suite, task: task, judge: judge, visit) }
    }

    /// The judge configurations that judged a suite, with how many judgments each stored (failures
    /// included), ordered by judge model, template, version and settings.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    public func judgeConfigurations(suite: String) throws -> [JudgeConfigurationCount] {
        try read { db in
            let suiteID = try Self.suiteID(db, suite)
            var rows: [[DatabaseValue]] = []
            try db.forEachValues("""
                SELECT j.judge_model, j.template_id, j.template_version, j.judge_temperature, j.judge_max_tokens,
                       COUNT(*), COUNT(j.error)
                FROM judgment j JOIN item i ON i.id = j.item_id JOIN task t ON t.id = i.task_id
                WHERE t.suite_id = ?
                GROUP BY 1, 2, 3, 4, 5
                ORDER BY 1, 2, 3, 4 IS NOT NULL, 4, 5 IS NOT NULL, 5
                """, [suiteID.databaseValue]) { rows.append($0) }
            return rows.map { row in
                JudgeConfigurationCount(
                    configuration: JudgeConfiguration(judgeModel: String.fromDatabaseValue(row[0])!, templateID: String.fromDatabaseValue(row[1])!,
                                                      templateVersion: String.fromDatabaseValue(row[2])!,
                                                      temperature: Double.fromDatabaseValue(row[3]), maxTokens: Int.fromDatabaseValue(row[4])),
                    judgments: Int.fromDatabaseValue(row[5]) ?? 0, failed: Int.fromDatabaseValue(row[6]) ?? 0)
            }
        }
    }

    /// What a reader needs to check one comparison by eye: the item's prompt and reference, both
    /// outputs, and the judgments behind it (raw replies included).
    public func comparisonDetails(itemID: Int64, candidateA: Int64, candidateB: Int64,
                                  judgmentIDs: [Int64]) throws -> ComparisonDetails {
        try read { db in
            guard let item = try db.fetchOne(ItemRecord.self, "SELECT * FROM item WHERE id = ?", [itemID]),
                  let a = try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE id = ?", [candidateA]),
                  let b = try db.fetchOne(CandidateRecord.self, "SELECT * FROM candidate WHERE id = ?", [candidateB]) else {
                throw StoreError.missingRow("item \(itemID) or candidate \(candidateA)/\(candidateB)")
            }
            let judgments = try db.fetchAll(JudgmentRecord.self, "SELECT * FROM judgment WHERE id IN (\(placeholders(judgmentIDs.count))) ORDER BY id",
                                            judgmentIDs.map { $0 as (any DatabaseValueConvertible)? })
            return ComparisonDetails(prompt: item.prompt, reference: item.reference, outputA: a.output,
                                     outputB: b.output, judgments: judgments)
        }
    }

    // MARK: - The scan

    static func suiteID(_ db: any StoreDatabase, _ suite: String) throws -> Int64 {
        guard let id = try db.value(Int64.self, "SELECT id FROM suite WHERE name = ?", [suite]) else {
            throw StoreError.unknownSuite(suite)
        }
        return id
    }

    static func judgmentRows(_ db: any StoreDatabase, suite: String, task: String?, judge: JudgeConfiguration,
                             _ visit: (JudgmentRow) throws -> Void) throws -> SuiteIndex {
        let suiteID = try suiteID(db, suite)
        var index = SuiteIndex()

        // MARK: Tasks and items of the suite
        var taskArguments: [DatabaseValue] = [suiteID.databaseValue]
        var taskFilter = ""
        if let task { taskFilter = " AND t.name = ?"; taskArguments += [task.databaseValue] }
        var taskIndex: [Int64: Int32] = [:]
        try db.forEachValues("SELECT t.id, t.name, t.held_out FROM task t WHERE t.suite_id = ?\(taskFilter) ORDER BY t.name",
                             taskArguments) { row in
            taskIndex[Int64.fromDatabaseValue(row[0])!] = Int32(index.tasks.count)
            index.tasks.append(String.fromDatabaseValue(row[1])!)
            index.heldOut.append(Bool.fromDatabaseValue(row[2])!)
        }
        let itemSQL = "SELECT i.id, i.task_id, i.external_id FROM item i JOIN task t ON t.id = i.task_id WHERE t.suite_id = ?\(taskFilter)"
        var itemTask: [Int32] = []      // (max item id + 1) → task index, −1 outside the suite or task
        try db.forEachValues(itemSQL, taskArguments) { row in
            let id = Int64.fromDatabaseValue(row[0])!
            Self.grow(&itemTask, to: id)
            itemTask[Int(id)] = taskIndex[Int64.fromDatabaseValue(row[1])!] ?? -1
            index.itemExternalID[id] = String.fromDatabaseValue(row[2])
        }

        // MARK: Models and current candidates (with output lengths in characters)
        var modelIndex: [Int64: Int32] = [:]
        try db.forEachValues("SELECT id, name FROM model ORDER BY name", []) { row in
            modelIndex[Int64.fromDatabaseValue(row[0])!] = Int32(index.models.count)
            index.models.append(String.fromDatabaseValue(row[1])!)
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

        // MARK: The configuration's judgments, once
        // The id, both candidates (which give item, models and lengths), the flags and verdict packed into
        // one integer (SQLite's | and << share a precedence: every shift is bracketed), the spend, and the
        // logprob verdict's preference (NULL for text verdicts). `IS` matches NULL settings (rows from
        // before schema v3) to a configuration whose settings are not recorded, and only to it.
        let sql = """
            SELECT j.id, j.candidate_a_id, j.candidate_b_id,
                   (CASE WHEN j.position = 'ab' THEN 1 ELSE 0 END) | ((CASE WHEN j.method = 'identical' THEN 1 ELSE 0 END) << 1)
                     | ((CASE WHEN j.unparsed <> 0 THEN 1 ELSE 0 END) << 2)
                     | ((CASE WHEN j.error IS NOT NULL THEN 1 ELSE 0 END) << 3) | (j.orders_planned << 4)
                     | ((CASE j.verdict WHEN 'A>>B' THEN 4 WHEN 'A>B' THEN 3 WHEN 'A=B' THEN 2
                                        WHEN 'B>A' THEN 1 WHEN 'B>>A' THEN 0 ELSE 7 END) << 8),
                   j.latency, j.prompt_tokens, j.completion_tokens, j.cost, j.preference
            FROM judgment j
            WHERE j.item_id IN (SELECT i.id FROM item i JOIN task t ON t.id = i.task_id WHERE t.suite_id = ?\(taskFilter))
              AND j.judge_model = ? AND j.template_id = ? AND j.template_version = ?
              AND j.judge_temperature IS NOT DISTINCT FROM ? AND j.judge_max_tokens IS NOT DISTINCT FROM ?
            """
        let arguments = taskArguments + [judge.judgeModel.databaseValue, judge.templateID.databaseValue, judge.templateVersion.databaseValue,
                                         judge.temperature?.databaseValue ?? .null, judge.maxTokens?.databaseValue ?? .null]
        try db.forEachValues(sql, arguments) { row in
            let candidateA = Int64.fromDatabaseValue(row[1])!, candidateB = Int64.fromDatabaseValue(row[2])!
            // Only judgments of current candidates count.
            guard Self.isCurrent(candidateA, candidateLength), Self.isCurrent(candidateB, candidateLength) else { return }
            let itemID = Int64(candidateItem[Int(candidateA)])
            guard Int(itemID) < itemTask.count, itemTask[Int(itemID)] >= 0 else { return }
            let flags = Int64.fromDatabaseValue(row[3])!
            try visit(JudgmentRow(
                id: Int64.fromDatabaseValue(row[0])!, itemID: itemID, task: itemTask[Int(itemID)], candidateA: candidateA, candidateB: candidateB,
                modelA: candidateModel[Int(candidateA)], modelB: candidateModel[Int(candidateB)],
                lengthA: candidateLength[Int(candidateA)], lengthB: candidateLength[Int(candidateB)],
                shownFirstIsA: flags & 1 != 0, identicalOutputs: flags & 2 != 0, unparsed: flags & 4 != 0,
                failed: flags & 8 != 0, ordersPlanned: Int8(clamping: (flags >> 4) & 0xF),
                verdict: Self.verdict(code: (flags >> 8) & 7),
                latency: Double.fromDatabaseValue(row[4]), promptTokens: Int.fromDatabaseValue(row[5]),
                completionTokens: Int.fromDatabaseValue(row[6]), cost: Double.fromDatabaseValue(row[7]),
                preference: Double.fromDatabaseValue(row[8])))
        }
        return index
    }

    // MARK: - Helpers

    private static func verdict(code: Int64) -> Verdict? {
        switch code {
        case 4: .aMuchBetter
        case 3: .aBetter
        case 2: .tie
        case 1: .bBetter
        case 0: .bMuchBetter
        default: nil
        }
    }

    private static func grow(_ array: inout [Int32], to id: Int64) {
        precondition(id >= 0 && id < Int64(Int32.max), "row id \(id) out of range")
        if Int(id) >= array.count { array += [Int32](repeating: -1, count: Int(id) + 1 - array.count + 1024) }
    }

    @inline(__always) private static func isCurrent(_ id: Int64, _ lengths: [Int32]) -> Bool {
        id >= 0 && Int(id) < lengths.count && lengths[Int(id)] >= 0
    }
}
