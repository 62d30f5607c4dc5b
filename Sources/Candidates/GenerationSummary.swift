import Foundation
import ChatCompletions

// MARK: - GenerationProgress

/// Where a generation run is: outputs finished (generated or failed) out of those missing at the start.
public struct GenerationProgress: Sendable, Hashable {
    /// The model whose output just finished.
    public var model: String
    public var done: Int
    public var total: Int
    public var failed: Int
}

/// Counts finished outputs across concurrent calls and reports each step.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var done = 0
    private var failed = 0
    private let report: @Sendable (GenerationProgress) -> Void

    init(total: Int, report: @escaping @Sendable (GenerationProgress) -> Void) {
        self.total = total
        self.report = report
    }

    func finished(model: String, failed didFail: Bool) {
        let progress = lock.withLock { () -> GenerationProgress in
            done += 1
            if didFail { failed += 1 }
            return GenerationProgress(model: model, done: done, total: total, failed: failed)
        }
        report(progress)
    }
}

// MARK: - GenerationSummary

/// What a generation run did.
public struct GenerationSummary: Sendable, Hashable, CustomStringConvertible {
    /// Outputs produced and stored by this run.
    public var generated = 0
    /// Outputs already stored under their key: nothing to do.
    public var reused = 0
    /// Outputs that could not be produced, each with its model, item (`task/id`) and reason.
    public var failures: [Failure] = []
    /// The run was cancelled before every missing output was produced.
    public var cancelled = false
    /// Each endpoint's share of the calls, for remote models served by several (`urls:`).
    public var endpoints: [EndpointPool.EndpointCount] = []

    public struct Failure: Sendable, Hashable {
        public var model: String
        public var item: String
        public var reason: String
    }

    public init() {}

    mutating func merge(_ other: GenerationSummary) {
        generated += other.generated
        reused += other.reused
        failures += other.failures
        cancelled = cancelled || other.cancelled
        endpoints += other.endpoints
    }

    public var description: String {
        "candidates: \(generated) generated, \(reused) already stored, \(failures.count) failed"
            + (cancelled ? " (interrupted)" : "")
            + (endpoints.isEmpty ? "" : "\n" + EndpointPool.describe(endpoints, role: "candidate"))
    }
}

// MARK: - GenerationPlan

/// What a run would generate, per model (``CandidateGenerator/plan()``).
public struct GenerationPlan: Sendable, Hashable, CustomStringConvertible {
    public struct Model: Sendable, Hashable {
        public var name: String
        /// `local` or `remote`.
        public var kind: String
        public var items: Int
        /// Outputs already stored under their current key.
        public var stored: Int
        public var missing: Int { items - stored }
    }

    public var models: [Model]

    /// Outputs a run would produce.
    public var missing: Int { models.reduce(0) { $0 + $1.missing } }

    public var description: String {
        models.map { "\($0.name) (\($0.kind)): \($0.missing) of \($0.items) outputs to generate" }.joined(separator: "\n")
    }
}
