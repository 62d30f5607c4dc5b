import Rank
import Store

// MARK: - ComparisonReader: the comparisons of one judge configuration

/// Where every reader — `rank`, `overfit`, `report`, `leaderboard`, the end of `compare`, adaptive
/// pairing, judge health — gets its comparisons: always those of ONE judge configuration, so two
/// judges over the same pairs never mix and identical-output ties count once per configuration.
///
/// The store only fetches rows (``JudgeStore/judgmentRows(suite:task:judge:_:)``); the reader resolves
/// them with the two-order rule (``PairJudgments``) and counts the judge's health on the way.
///
/// ```swift
/// let reader = ComparisonReader(store: store)
/// let judge = try reader.configuration(suites: ["demo"], selection: nil, current: suiteJudge)
/// let battles = try reader.comparisons(suite: "demo", judge: judge).map(Comparison.init)
/// ```
public struct ComparisonReader: Sendable {
    public let store: JudgeStore

    public init(store: JudgeStore) {
        self.store = store
    }

    // MARK: - Configurations

    /// The configurations that judged any of `suites`, with their judgments summed over the suites,
    /// in the store's order (judge model, template, version, settings).
    public func configurations(suites: [String]) throws -> [JudgeConfigurationCount] {
        var merged: [JudgeConfigurationCount] = []
        for suite in suites {
            for found in try store.judgeConfigurations(suite: suite) {
                if let i = merged.firstIndex(where: { $0.configuration == found.configuration }) {
                    merged[i].judgments += found.judgments
                    merged[i].failed += found.failed
                } else {
                    merged.append(found)
                }
            }
        }
        return merged.sorted { $0.configuration.sortKey < $1.configuration.sortKey }
    }

    // MARK: - Comparisons

    /// Every resolved comparison of one configuration on a suite (optionally of one task), ordered by
    /// task, item, then pair. Only judgments of current outputs count.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the configuration's judgments, then a sort of the comparisons.
    public func comparisons(suite: String, task: String? = nil, judge: JudgeConfiguration) throws -> [ComparisonRecord] {
        var resolved: [ComparisonScan.Resolved] = []
        var health = JudgeHealth()
        let index = try ComparisonScan.run(store, suite: suite, task: task, judge: judge, health: &health) { r, _ in
            resolved.append(r)
        }
        resolved.sort { x, y in
            if x.task != y.task { return x.task < y.task }   // task indices follow task names
            if x.itemID != y.itemID { return x.itemID < y.itemID }
            if x.modelA != y.modelA { return index.models[Int(x.modelA)] < index.models[Int(y.modelA)] }
            if x.modelB != y.modelB { return index.models[Int(x.modelB)] < index.models[Int(y.modelB)] }
            return (x.candidateAID, x.candidateBID) < (y.candidateAID, y.candidateBID)
        }
        return resolved.map { ComparisonScan.record($0, index, judge: judge) }
    }

    /// The configuration's health over `suites`: first-position win rate, order disagreement rate,
    /// longer-answer win rate, unparsed and failed counts, tokens, cost and latency.
    public func health(suites: [String], task: String? = nil, judge: JudgeConfiguration) throws -> JudgeHealth {
        var health = JudgeHealth()
        for suite in suites {
            _ = try ComparisonScan.run(store, suite: suite, task: task, judge: judge, health: &health) { _, _ in }
        }
        return health
    }

    /// The configuration's reliability over `suites` (``Rank/JudgeReliability``): position consistency,
    /// position and length bias, failures, and the status they add up to. ``summary(suites:task:judge:sampleLimit:)``
    /// gathers the same in its own pass, for readers that build a summary anyway.
    public func reliability(suites: [String], task: String? = nil, judge: JudgeConfiguration,
                            bootstrapRounds: Int = 1000, seed: UInt64 = 1) throws -> JudgeReliability {
        var health = JudgeHealth()
        var pairs: [OrderedVerdicts] = []
        for suite in suites {
            _ = try ComparisonScan.run(store, suite: suite, task: task, judge: judge, health: &health,
                                       pairs: { pairs.append($0) }) { _, _ in }
        }
        var summary = ComparisonSummary(judge: judge, groups: [], health: health, samples: [])
        summary.pairs = pairs
        return summary.reliability(bootstrapRounds: bootstrapRounds, seed: seed)
    }

    /// Up to `limit` resolved comparisons with their prompt, both outputs and the judge's raw replies,
    /// for a reader to check the judge by eye (a fair, deterministic mix: see ``SampleSelection``).
    public func samples(suite: String, task: String? = nil, judge: JudgeConfiguration, limit: Int = 20) throws -> [ComparisonSample] {
        try summary(suites: [suite], task: task, judge: judge, sampleLimit: limit).samples
    }

    /// The configuration's resolved comparisons on `suites` deduplicated into counted groups (suite by
    /// suite, each sorted by task, model A, model B and outcome), its health over all of them, and up to
    /// `sampleLimit` sample comparisons per suite — everything a report reads — in one pass per suite.
    ///
    /// - Throws: ``StoreError/unknownSuite(_:)``.
    /// - Complexity: one pass over the judgments; memory O(pairs judged) during a pass, O(groups + samples) after.
    public func summary(suites: [String], task: String? = nil, judge: JudgeConfiguration,
                        sampleLimit: Int = 20) throws -> ComparisonSummary {
        var groups: [ComparisonGroup] = []
        var health = JudgeHealth()
        var samples: [ComparisonSample] = []
        var pairs: [OrderedVerdicts] = []
        for suite in suites {
            struct GroupKey: Hashable { var task, modelA, modelB: Int32; var outcome: Verdict }
            var counts: [GroupKey: Int] = [:]
            var selection = SampleSelection(limit: sampleLimit)
            let index = try ComparisonScan.run(store, suite: suite, task: task, judge: judge, health: &health,
                                               pairs: { pairs.append($0) }) { r, _ in
                counts[GroupKey(task: r.task, modelA: r.modelA, modelB: r.modelB, outcome: r.outcome), default: 0] += 1
                selection.offer(r)
            }
            groups += counts.map { key, count in
                ComparisonGroup(task: index.tasks[Int(key.task)], heldOut: index.heldOut[Int(key.task)],
                                modelA: index.models[Int(key.modelA)], modelB: index.models[Int(key.modelB)],
                                outcome: key.outcome, count: count)
            }.sorted { x, y in
                (x.task, x.modelA, x.modelB, Self.order(x.outcome)) < (y.task, y.modelA, y.modelB, Self.order(y.outcome))
            }
            samples += try selection.chosen(taskNames: index.tasks).map { try sample($0, index, judge: judge) }
        }
        var summary = ComparisonSummary(judge: judge, groups: groups, health: health, samples: samples)
        summary.pairs = pairs
        return summary
    }

    // MARK: - Helpers

    /// A → B order of outcomes: A>>B, A>B, A=B, B>A, B>>A.
    static func order(_ v: Verdict) -> Int { Verdict.allCases.firstIndex(of: v)! }

    /// A chosen comparison with its prompt, outputs and raw replies.
    private func sample(_ r: ComparisonScan.Resolved, _ index: SuiteIndex, judge: JudgeConfiguration) throws -> ComparisonSample {
        let details = try store.comparisonDetails(itemID: r.itemID, candidateA: r.candidateAID, candidateB: r.candidateBID,
                                                  judgmentIDs: r.judgmentIDs)
        let judgments = details.judgments
            .sorted { ($0.position.rawValue, $0.id ?? 0) < ($1.position.rawValue, $1.id ?? 0) }
            .map { ComparisonSample.Judgment(position: $0.position, verdict: $0.verdict, rawReply: $0.rawReply) }
        return ComparisonSample(comparison: ComparisonScan.record(r, index, judge: judge), prompt: details.prompt,
                                reference: details.reference, outputA: details.outputA, outputB: details.outputB,
                                judgments: judgments)
    }
}
