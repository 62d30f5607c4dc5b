import Foundation
import Store

extension CandidateGenerator {
    // MARK: - Several workers, one store

    /// Generates this worker's share of `missing` when other workers (processes on this machine, or machines
    /// sharing a PostgreSQL store) generate for the same suite: each output is a job, claimed under a lease
    /// as judge calls are (``JudgeStore/claim(scope:owner:limit:lease:)``), so no remote call is paid for and
    /// no local output computed twice — except the ones in progress when a worker dies, whose leases expire
    /// and pass to another worker.
    ///
    /// Each model is a scope of its own, so a local model is loaded once per worker and its claims come in
    /// batches the engine decodes together. A first pass takes whatever is free, model after model; a second
    /// waits, model after model, until every job is finished, taking over the work of workers that die.
    /// Outputs another worker made count as reused.
    func runShared(_ missing: [ModelWork], summary before: GenerationSummary, shared: SharedWork,
                   tracker: ProgressTracker) async throws -> GenerationSummary {
        var summary = before
        let owner = shared.owner, lease = shared.lease, store = store
        let heartbeat = store.leaseHeartbeat(owner: owner, lease: lease)
        defer { heartbeat.cancel() }

        var sessions: [String: LocalModelSession] = [:]
        var mine = 0
        for model in missing {
            let scope = Self.scope(suite.name, model)
            try store.enqueue(scope: scope, keys: model.jobs.map(Self.jobKey))
            try store.releaseLeasesOfDeadLocalWorkers(scope: scope, except: owner)
        }
        do {
            for waiting in [false, true] {
                for model in missing {
                    let scope = Self.scope(suite.name, model)
                    let byKey = Dictionary(model.jobs.map { (Self.jobKey($0), $0) }, uniquingKeysWith: { first, _ in first })
                    let local: Bool = if case .local = model.spec.source { true } else { false }
                    let claimSize = local ? 4 * LocalModelSession.batchSize : options.concurrency * 2
                    while true {
                        if Task.isCancelled {
                            try? store.releaseLeases(owner: owner)
                            summary.cancelled = true
                            return summary
                        }
                        let claimed = try store.claim(scope: scope, owner: owner, limit: claimSize, lease: lease)
                        if claimed.isEmpty {
                            guard waiting, try store.unfinishedJobs(scope: scope) > 0 else { break }
                            do { try await Task.sleep(for: shared.idlePoll) } catch { continue }
                            continue
                        }
                        // A job another worker finished after this one planned it is stored already: skip it.
                        var work = model
                        work.jobs = try claimed.compactMap { byKey[$0] }.filter {
                            try store.candidate(modelID: $0.modelID, itemID: $0.itemID, contentKey: $0.key) == nil
                        }
                        if !work.jobs.isEmpty {
                            if local {
                                if sessions[model.spec.name] == nil { sessions[model.spec.name] = try loadSession(model) }
                                summary.merge(try runLocal(work, tracker: tracker, session: sessions[model.spec.name]))
                            } else {
                                summary.merge(try await runRemote([work], tracker: tracker))
                            }
                            mine += work.jobs.count
                        }
                        try store.finish(keys: claimed, owner: owner)
                    }
                }
            }
        } catch {
            // A model that cannot load, a store error: the claims go back to the others at once.
            try? store.releaseLeases(owner: owner)
            throw error
        }
        // Every job is finished; what this worker did not make, another did.
        let total = missing.reduce(0) { $0 + $1.jobs.count }
        summary.reused += max(0, total - mine)
        return summary
    }

    /// Runs that generate one model's outputs for the same suite share its jobs.
    static func scope(_ suite: String, _ model: ModelWork) -> String { "generate|\(suite)|\(model.spec.name)" }

    /// One output: the model's and item's rows and the content key (unique among every scope's jobs).
    static func jobKey(_ job: Job) -> String { "generate|\(job.modelID)|\(job.itemID)|\(job.key)" }
}
