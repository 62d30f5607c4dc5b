import ArgumentParser
import Foundation
import HTTP
import Judge
import Store
import Suite

/// `judge compare --batch`: the judge calls go through OpenAI's Batch API (`judge.batch: true` in the suite
/// does the same).
struct BatchOptions: ParsableArguments {
    @Flag(name: .long, help: "Judge through OpenAI's Batch API (cheaper, results within 24 h); an interrupted run resumes polling its batch.")
    var batch = false

    @Option(name: .customLong("batch-poll"), help: "With --batch: seconds between status checks of a batch.")
    var pollSeconds = 30.0

    func check(pairs: PairsOption) throws {
        guard pollSeconds > 0, pollSeconds.isFinite else { throw ValidationError("--batch-poll must be a positive number of seconds") }
        if batch, case .adaptive = pairs {
            throw ValidationError("--batch judges a fixed plan; --pairs adaptive needs each round's verdicts before the next (use --pairs all or sample:N)")
        }
    }

    /// Whether this run judges through the Batch API: --batch, or `judge.batch: true`.
    func enabled(for judge: JudgeSpec) -> Bool { batch || judge.batch }
}

extension CompareCommand {
    // MARK: - Judging through the Batch API

    /// Collects the batches left open by earlier runs, submits the rest of the plan as one batch, polls it
    /// (status lines on stderr) and stores its lines as they are read.
    func judgeThroughBatch(_ plan: ComparisonPlan, endpoint: JudgeEndpoint, store: JudgeStore,
                           options: JudgingRun.Options) async throws -> BatchJudgingRun.Summary {
        guard case let .remote(urls, apiKeyEnv) = endpoint.kind else {
            throw CompareFailure("--batch needs an OpenAI-compatible judge URL (judge.url or --judge-url); the embedded local judge has no Batch API")
        }
        if case .adaptive = pairs {
            throw CompareFailure("--batch judges a fixed plan; use --pairs all or sample:N")
        }
        let api = BatchAPIClient(baseURL: urls[0], apiKeyEnvironmentVariable: apiKeyEnv, http: HTTPClient())
        let run = BatchJudgingRun(store: store, api: api, options: options,
                                  batch: .init(pollInterval: .milliseconds(Int64(batch.pollSeconds * 1000))))
        let last = LastStatus()
        do {
            return try await run.run(plan) { progress in
                guard last.changed(to: "\(progress.batchID) \(progress.status) \(progress.completed)/\(progress.total)") else { return }
                Self.note("batch \(progress.batchID): \(progress.status), \(progress.completed) of \(progress.total) done"
                          + (progress.failed > 0 ? ", \(progress.failed) failed" : ""))
            }
        } catch is CancellationError {
            Self.note("interrupted: the batch stays with the provider and in the store; the same command resumes polling it")
            throw ExitCode(130)
        } catch let error as BatchAPIError {
            throw CompareFailure("\(error)")
        }
    }
}

/// The last status line printed, so a poll that changed nothing prints nothing.
private final class LastStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ""
    func changed(to line: String) -> Bool {
        lock.withLock {
            defer { last = line }
            return line != last
        }
    }
}
