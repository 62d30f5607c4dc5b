import Comparisons
import Foundation
import Judge
import Rank
import Store

// MARK: - AdaptiveRounds

/// `--pairs adaptive`: rounds of `Rank.AdaptivePairing` over the pairs not judged yet, each round fitted on
/// every comparison this judge configuration has stored for the suite, until the budget is spent.
///
/// **The budget** counts judge calls the store holds for this judge configuration on the suite's current
/// outputs (verdicts and unparsed replies), plus calls that failed in this run. So a rerun with the same
/// budget continues an interrupted run up to it and then does nothing, and a larger budget adds to the
/// judgments already made. A pair judged in both orders costs two calls; the budget is never exceeded.
///
/// **A round**: pairs with one order judged and the other missing (an earlier run stopped between them)
/// are finished first, since one call completes a comparison; otherwise `AdaptivePairing.nextBatch` picks
/// `pairsPerRound` pairs among the unjudged ones, offered in a fixed pseudo-random order (by content key),
/// so the same store picks the same pairs. Identical outputs are tied without a call before the first round.
/// Store rows become `Rank.Comparison`s as `judge rank` and the report map them (`Comparison.init(_: ComparisonRecord)`).
///
/// **Several workers** (`judge compare --pairs adaptive` in several processes or on several machines, on one
/// store) share the budget and send no call twice. One worker at a time plans a round: it holds the planner
/// row of the job table (a lease, as for judge calls), and plans only when the last round's calls are all
/// finished, so every round is fitted on every verdict before it, as with one worker. It enqueues the round's
/// calls as jobs of the shared scope, and every worker claims and judges them (``SharedJudgingRun/drain``).
/// A worker stops when, as planner, it finds the budget spent or every pair judged. The budget counts what the
/// store holds, so N workers together send at most the budget (plus calls in flight at a kill, and calls
/// that failed in another worker).
struct AdaptiveRounds {
    let plan: ComparisonPlan
    let context: JudgingContext
    let budget: Int
    let pairsPerRound: Int
    /// The shared judging scope and lease (``SharedJudgingRun``); the planner row lives in a scope of its own.
    let shared: SharedJudgingRun.Options

    /// Which pair of outputs a unit compares: the item and both candidates (canonical order). Handed to
    /// `AdaptivePairing` as the candidate's identity and back, never through a string.
    struct PairID: Hashable, Sendable {
        var item: Int64
        var candidateA: Int64
        var candidateB: Int64
    }

    /// The one or two judgments of one pair of outputs on one item.
    struct PairUnit {
        var id: PairID
        var modelA: String
        var modelB: String
        var entries: [ComparisonPlan.Entry]
        /// A stable pseudo-random order: the content key of the first judgment.
        var order: String
    }

    struct Outcome {
        var judging: JudgingSummary
        /// Why the rounds ended before the budget, when they did (everything judged).
        var note: String?
    }

    /// Runs rounds until the budget is spent, every pair is judged, or a judging run stops (its reason is in
    /// the summary). `progress` is told the calls spent (stored and failed) and a detail line.
    func run(progress: @escaping @Sendable (Int, String) -> Void) async throws -> Outcome {
        let store = context.store
        let units = Self.units(of: plan, modelNames: Dictionary(uniqueKeysWithValues: context.ids.models.map { ($1, $0) }))
        var total = JudgingSummary()
        total.planned = 0
        total.cost = context.options.price == nil ? nil : 0

        // Identical outputs: ties, no call, no budget.
        let ties = units.filter { $0.entries.allSatisfy { $0.messages == nil } }.flatMap(\.entries)
        if !ties.isEmpty {
            total.merge(try await judge(ties, spentBefore: 0, costBefore: 0, progress: progress))
        }
        let calling = units.filter { $0.entries.contains { $0.messages != nil } }   // plan order
        let unit = Dictionary(uniqueKeysWithValues: calling.map { ($0.id, $0) })
        let callKeys = calling.flatMap { $0.entries.map(\.key) }
        let worker = SharedJudgingRun(store: store, client: context.client, options: context.options, shared: shared)
        let plannerScope = "adaptive-planner|" + shared.scope
        let plannerKey = "adaptive-planner|" + shared.scope
        let heartbeat = store.leaseHeartbeat(owner: shared.owner, lease: shared.lease)
        defer { heartbeat.cancel() }

        var failedUnits = Set<PairID>()
        var failedCalls = 0
        var lastRound: [PairID] = []
        var first = true
        while true {
            if Task.isCancelled { total.stopReason = .cancelled; break }
            let settled = try store.settledKeys(among: callKeys)
            let spent = settled.count + failedCalls
            if first {
                total.reused += settled.count
                progress(spent, settled.isEmpty ? "" : "\(settled.count) already stored")
                first = false
            }

            // MARK: Planning, one worker at a time, once the last round is finished
            try store.enqueue(scope: plannerScope, keys: [plannerKey])
            try store.releaseLeasesOfDeadLocalWorkers(scope: plannerScope, except: shared.owner)
            let planning = try !store.claim(scope: plannerScope, owner: shared.owner, limit: 1, lease: shared.lease).isEmpty
            var planned = false
            if planning {
                defer { try? store.finish(keys: [plannerKey], owner: shared.owner) }
                if try store.unfinishedJobs(scope: shared.scope) == 0 {
                    func unsettled(_ id: PairID) -> [ComparisonPlan.Entry] { unit[id]!.entries.filter { !settled.contains($0.key) } }
                    // The pairs of the round this worker planned last that are still unsettled failed.
                    for id in lastRound where !unsettled(id).isEmpty { failedUnits.insert(id) }
                    lastRound = []
                    let open = calling.map(\.id).filter { !failedUnits.contains($0) && !unsettled($0).isEmpty }
                    guard !open.isEmpty else {
                        return Outcome(judging: total, note: "adaptive: every pair is judged (\(spent) calls), before the budget of \(budget)")
                    }
                    let chosen = try choose(open: open, unit: unit, unsettled: unsettled, remaining: budget - spent)
                    guard !chosen.isEmpty else { break }   // the budget is spent
                    lastRound = chosen
                    try store.enqueue(scope: shared.scope, keys: chosen.flatMap(unsettled).map(\.key))
                    planned = true
                }
            }

            // MARK: Judging the round's calls, with every other worker
            let part = try await worker.drain(plan, total: budget) { p in
                progress(spent + p.done, ComparePipeline.detail(p))
            }
            total.merge(part)
            failedCalls += part.failed
            if part.stopReason != nil { break }
            if !planned && part.sent == 0 && part.failed == 0 {
                // Another worker is planning (or nothing was left to judge): look again shortly.
                do { try await Task.sleep(for: shared.idlePoll) } catch { total.stopReason = .cancelled; break }
            }
        }
        return Outcome(judging: total, note: nil)
    }

    /// The pairs of the next round: half-judged pairs first (one call completes a comparison), else the
    /// unjudged pairs `AdaptivePairing` ranks most informative, within what is left of the budget.
    private func choose(open: [PairID], unit: [PairID: PairUnit], unsettled: (PairID) -> [ComparisonPlan.Entry],
                        remaining: Int) throws -> [PairID] {
        guard remaining > 0 else { return [] }
        var chosen: [PairID] = []
        var cost = 0
        for id in open where unsettled(id).count < unit[id]!.entries.count && chosen.count < pairsPerRound {
            let calls = unsettled(id).count
            if cost + calls <= remaining { chosen.append(id); cost += calls }
        }
        if !chosen.isEmpty { return chosen }
        let fresh = open.filter { unsettled($0).count == unit[$0]!.entries.count }
            .sorted { unit[$0]!.order < unit[$1]!.order }
        let callsPerPair = fresh.map { unit[$0]!.entries.count }.max() ?? 1
        let size = min(pairsPerRound, remaining / callsPerPair)
        guard size > 0, !fresh.isEmpty else { return [] }
        let comparisons = try storedComparisons()
        let candidates = fresh.map { CandidatePair(modelA: unit[$0]!.modelA, modelB: unit[$0]!.modelB, item: $0) }
        return try AdaptivePairing().nextBatch(comparisons: comparisons, candidates: candidates, batchSize: size).map(\.item)
    }

    /// Runs one round's judgments as a plan of their own; `--max-cost` is what earlier rounds left of it.
    private func judge(_ entries: [ComparisonPlan.Entry], spentBefore: Int, costBefore: Double,
                       progress: @escaping @Sendable (Int, String) -> Void) async throws -> JudgingSummary {
        var sub = plan
        sub.entries = entries
        var options = context.options
        if let maxCost = options.maxCost { options.maxCost = max(0, maxCost - costBefore) }
        let runner = JudgingRun(store: context.store, client: context.client, options: options)
        return try await runner.run(sub) { p in progress(spentBefore + p.done, ComparePipeline.detail(p)) }
    }

    /// This judge configuration's resolved comparisons on the suite, as Rank's input.
    private func storedComparisons() throws -> [Comparison] {
        try ComparisonReader(store: context.store).comparisons(suite: context.suite.name, judge: plan.judge).map { Comparison($0) }
    }

    /// The plan's judgments grouped by (item, pair of outputs), in plan order.
    static func units(of plan: ComparisonPlan, modelNames: [Int64: String]) -> [PairUnit] {
        var units: [PairUnit] = []
        var index: [PairID: Int] = [:]
        for entry in plan.entries {
            let r = entry.record
            let id = PairID(item: r.itemID, candidateA: r.candidateAID, candidateB: r.candidateBID)
            if let u = index[id] {
                units[u].entries.append(entry)
            } else {
                index[id] = units.count
                units.append(PairUnit(id: id, modelA: modelNames[r.modelAID] ?? "\(r.modelAID)",
                                      modelB: modelNames[r.modelBID] ?? "\(r.modelBID)",
                                      entries: [entry], order: entry.key))
            }
        }
        return units
    }
}
