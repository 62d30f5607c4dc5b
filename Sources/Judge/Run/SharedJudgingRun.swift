import ChatCompletions
import Foundation
import OpenAIWire
import Store

/// A judging run that shares its plan with every other worker judging the same suite on the same store —
/// processes on one machine (SQLite in WAL mode) or on many (PostgreSQL) — so that no call is sent twice.
///
/// Each worker enqueues the plan's unsettled calls as jobs (a no-op for those already there), then claims a
/// few at a time under a lease (``JudgeStore/claim(scope:owner:limit:lease:)``), judges them with an ordinary
/// ``JudgingRun`` and marks them finished. A heartbeat renews its leases every third of the lease while it
/// lives. A worker killed with `kill -9` stops renewing; when its leases expire another worker claims the
/// work — the calls that were in flight at the kill are the only ones sent twice. A worker with nothing to
/// claim waits while others still hold unfinished work, so that it can take over if they die, and stops
/// when every job of the scope is finished.
public struct SharedJudgingRun: Sendable {
    public struct Options: Sendable, Hashable {
        /// What the workers share: runs with the same scope divide the same jobs (the CLI uses suite, judge
        /// model and template).
        public var scope: String
        /// How long a claim holds without renewal: how long a dead worker's calls wait before another takes them.
        public var lease: Duration
        /// Calls claimed at a time (default: four times the run's concurrency).
        public var claimSize: Int?
        /// How often a worker with nothing to claim looks again while others still hold work.
        public var idlePoll: Duration
        /// This worker's name in the store (host, process id and a random part by default).
        public var owner: String

        public init(scope: String, lease: Duration = .seconds(60), claimSize: Int? = nil, idlePoll: Duration = .milliseconds(500),
                    owner: String = SharedJudgingRun.defaultOwner()) {
            self.scope = scope
            self.lease = lease
            self.claimSize = claimSize
            self.idlePoll = idlePoll
            self.owner = owner
        }
    }

    public let store: JudgeStore
    public let client: any ChatCompleting
    public let options: JudgingRun.Options
    public let shared: Options

    public init(store: JudgeStore, client: any ChatCompleting, options: JudgingRun.Options, shared: Options) {
        self.store = store
        self.client = client
        self.options = options
        self.shared = shared
    }

    /// `HOST/PID/RANDOM`: unique per process, readable in the store. `$JUDGE_WORKER_NAME` replaces the host
    /// name (a worker named so is treated as remote: its leases always run to their deadline).
    public static func defaultOwner(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let host = environment["JUDGE_WORKER_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
        return "\(host)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(6))"
    }

    /// Judges this worker's share of the plan; returns what this worker did (calls other workers made count
    /// as reused).
    public func run(_ plan: ComparisonPlan, progress: @escaping @Sendable (JudgingRun.Progress) -> Void = { _ in }) async throws -> JudgingSummary {
        let settled = try store.settledKeys(among: plan.entries.map(\.key))
        var byKey: [String: ComparisonPlan.Entry] = [:]
        for entry in plan.entries where !settled.contains(entry.key) { byKey[entry.key] = entry }
        let identical = byKey.values.filter { $0.messages == nil }
        let identicalSaved = try store.saveVerdicts(identical.map(\.record))
        let calls = plan.entries.filter { byKey[$0.key]?.messages != nil }
        var seen = Set<String>()
        let keys = calls.map(\.key).filter { seen.insert($0).inserted }
        try store.enqueue(scope: shared.scope, keys: keys)

        var summary = try await drain(plan, total: keys.count, progress: progress)
        summary.identical = identicalSaved
        // Counted once for the whole plan: what neither this worker judged nor left unsent was reused
        // (stored before, or judged by another worker).
        summary.planned = plan.entries.count
        summary.reused = summary.planned - summary.identical - summary.sent - summary.notSent
        return summary
    }

    /// Claims and judges the scope's jobs — enqueued by this worker or by any other — until none is left
    /// unfinished, waiting while other live workers still hold some (so that it takes over if they die).
    /// Every claimed key must be an entry of `plan`. Returns this worker's calls only (`planned` and `reused`
    /// are left at zero: the caller knows what it planned). `total` is the progress bar's denominator.
    public func drain(_ plan: ComparisonPlan, total: Int,
                      progress: @escaping @Sendable (JudgingRun.Progress) -> Void = { _ in }) async throws -> JudgingSummary {
        var summary = JudgingSummary()
        summary.cost = options.price == nil ? nil : 0
        try store.releaseLeasesOfDeadLocalWorkers(scope: shared.scope, except: shared.owner)

        let (store, owner, lease) = (store, shared.owner, shared.lease)
        let heartbeat = store.leaseHeartbeat(owner: owner, lease: lease)
        defer { heartbeat.cancel() }

        let claimSize = shared.claimSize ?? options.concurrency * 4
        var done = Progress(total: total)
        while true {
            if Task.isCancelled { summary.stopReason = .cancelled; break }
            let claimed = try store.claim(scope: shared.scope, owner: owner, limit: claimSize, lease: lease)
            if claimed.isEmpty {
                guard try store.unfinishedJobs(scope: shared.scope) > 0 else { break }
                try store.releaseLeasesOfDeadLocalWorkers(scope: shared.scope, except: shared.owner)
                do { try await Task.sleep(for: shared.idlePoll) } catch { summary.stopReason = .cancelled; break }
                continue
            }
            var chunk = plan
            let wanted = Set(claimed)
            chunk.entries = plan.entries.filter { wanted.contains($0.key) }
            var chunkOptions = options
            if let maxCost = options.maxCost {
                let left = maxCost - (summary.cost ?? 0)
                guard left > 0 else {
                    summary.stopReason = .budget(limit: maxCost, spent: summary.cost ?? 0)
                    break
                }
                chunkOptions.maxCost = left
            }
            let base = done
            let part = try await JudgingRun(store: store, client: client, options: chunkOptions).run(chunk) { step in
                progress(JudgingRun.Progress(total: base.total, done: base.done + step.done, failed: base.failed + step.failed,
                                             unparsed: base.unparsed + step.unparsed, cost: step.cost))
            }
            done.done += part.sent
            done.failed += part.failed
            done.unparsed += part.unparsed
            var calls = part
            calls.planned = 0
            calls.reused = 0
            summary.merge(calls)
            if part.stopReason != nil {
                // Stopped early: what was judged is finished, the rest goes back to the others at once.
                let judged = try store.settledKeys(among: claimed)
                try store.finish(keys: Array(judged), owner: owner)
                try store.releaseLeases(owner: owner)
                summary.stopReason = part.stopReason
                break
            }
            try store.finish(keys: claimed, owner: owner)
        }
        if summary.stopReason != nil { try? store.releaseLeases(owner: owner) }
        return summary
    }

    private struct Progress {
        var total: Int
        var done = 0
        var failed = 0
        var unparsed = 0
    }
}
