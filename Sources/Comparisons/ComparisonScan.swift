import Rank
import Store

// MARK: - One pass over one configuration's judgments

/// One configuration's judgments on a suite resolved into comparisons in one pass over the rows the
/// store hands out (``JudgeStore/judgmentRows(suite:task:judge:_:)``).
///
/// Each row's health figures are counted on the spot and its pair's ``PairJudgments`` updated in a
/// hash table, so resolution does not depend on the order rows arrive in and no row is kept once
/// counted. Each resolved comparison is then handed to `visit`, in no particular order: callers that
/// need an order sort what they keep.
/// - Complexity: one pass over the configuration's judgments; memory O(pairs), a few dozen bytes each.
enum ComparisonScan {
    /// One resolved comparison, by index into the scan's ``SuiteIndex``.
    struct Resolved {
        var task: Int32
        var modelA: Int32
        var modelB: Int32
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

    /// The pair of outputs a judgment belongs to (one configuration per scan).
    struct PairKey: Hashable {
        var candidateA: Int64
        var candidateB: Int64
    }

    /// Scans `suite` (optionally one task) for `judge`'s comparisons, adding the judge's health figures
    /// to `health` and calling `visit` with each resolved comparison; returns the names they index.
    /// `pairs`, when given, also sees every pair judged in either order as the reliability figures read
    /// it (resolved or not: an order without a verdict still tells where the other order's verdict went).
    static func run(_ store: JudgeStore, suite: String, task: String?, judge: JudgeConfiguration,
                    health: inout JudgeHealth, pairs orderedPairs: ((OrderedVerdicts) -> Void)? = nil,
                    visit: (Resolved, SuiteIndex) throws -> Void) throws -> SuiteIndex {
        var counted = health
        let (pending, index) = try pairs(store, suite: suite, task: task, judge: judge) { counted.count($0) }
        if let orderedPairs {
            // In a fixed order (a dictionary's differs from process to process): the bootstrap over pairs
            // must give the same intervals on every run.
            for key in pending.keys.sorted(by: { ($0.candidateA, $0.candidateB) < ($1.candidateA, $1.candidateB) }) {
                if let ordered = pending[key]!.orderedVerdicts { orderedPairs(ordered) }
            }
        }
        for (key, pair) in pending {
            guard let (outcome, agreed, identical, ids) = pair.resolved() else {
                counted.unresolvedComparisons += 1
                continue
            }
            let resolved = Resolved(
                task: pair.task, modelA: pair.modelA, modelB: pair.modelB, outcome: outcome, ordersAgreed: agreed,
                identicalOutputs: identical, lengthA: pair.lengthA, lengthB: pair.lengthB, itemID: pair.itemID,
                candidateAID: key.candidateA, candidateBID: key.candidateB, judgmentIDs: ids)
            counted.count(resolved)
            try visit(resolved, index)
        }
        health = counted
        return index
    }

    /// Every pair of outputs the configuration judged, its judgments reduced to what resolution needs;
    /// `eachRow` sees each row first (health counting).
    static func pairs(_ store: JudgeStore, suite: String, task: String?, judge: JudgeConfiguration,
                      eachRow: (JudgmentRow) -> Void = { _ in }) throws -> ([PairKey: PairJudgments], SuiteIndex) {
        var pending: [PairKey: PairJudgments] = [:]
        let index = try store.judgmentRows(suite: suite, task: task, judge: judge) { row in
            eachRow(row)
            let key = PairKey(candidateA: row.candidateA, candidateB: row.candidateB)
            pending[key, default: PairJudgments(row)].add(row)   // one hash look-up, updated in place
        }
        return (pending, index)
    }

    /// The resolved comparison as a public record.
    static func record(_ r: Resolved, _ index: SuiteIndex, judge: JudgeConfiguration) -> ComparisonRecord {
        ComparisonRecord(
            task: index.tasks[Int(r.task)], heldOut: index.heldOut[Int(r.task)], itemID: index.itemExternalID[r.itemID] ?? "",
            modelA: index.models[Int(r.modelA)], modelB: index.models[Int(r.modelB)], outcome: r.outcome,
            lengthA: Int(r.lengthA), lengthB: Int(r.lengthB), ordersAgreed: r.ordersAgreed,
            identicalOutputs: r.identicalOutputs, judge: judge)
    }
}

// MARK: - Health, counted during the scan

extension JudgeHealth {
    /// Counts one stored judgment: a judge call unless it is an identical-output tie.
    mutating func count(_ row: JudgmentRow) {
        guard !row.identicalOutputs else { return }
        calls += 1
        if row.failed { failed += 1 }
        if row.unparsed { unparsed += 1 }
        if let verdict = row.verdict {
            parsed += 1
            switch verdict.direction {
            case 1: firstPositionWins += 1
            case -1: secondPositionWins += 1
            default: ties += 1
            }
        }
        promptTokens += row.promptTokens ?? 0
        completionTokens += row.completionTokens ?? 0
        cost += row.cost ?? 0
        if !row.failed, let latency = row.latency { latencySum += latency; latencyCount += 1 }
    }

    /// Counts one resolved comparison: identical ties, both-order agreement, length preference.
    mutating func count(_ r: ComparisonScan.Resolved) {
        resolvedComparisons += 1
        if r.identicalOutputs { identicalOutputTies += 1 }
        if let agreed = r.ordersAgreed {
            bothOrderComparisons += 1
            if !agreed { orderDisagreements += 1 }
        }
        if r.outcome.direction != 0, r.lengthA != r.lengthB {
            decisiveWithLengthDifference += 1
            if (r.lengthA > r.lengthB) == (r.outcome.direction == 1) { longerAnswerWins += 1 }
        }
    }
}
