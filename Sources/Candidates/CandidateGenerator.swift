import Foundation
import HTTP
import LocalInference
import Store
import Suite

// MARK: - CandidateGenerator

/// Generates every missing candidate output of a suite's local (GGUF) and remote (OpenAI-compatible)
/// models, and stores each one the moment it is produced.
///
/// Each (model, item) output is keyed by what made it: for a local model the fingerprint of its file
/// (``ModelFingerprint``), its settings with defaults filled in (template, system prompt, temperature,
/// top-p/k, min-p, repetition penalty, seed, max tokens) and the rendered prompt; for a remote model its
/// URL and model name, its settings and the messages. A key already in the store is reused (and made the
/// current output again if another one had replaced it), so a rerun generates nothing, and changing one
/// model's file or one setting regenerates only that model's outputs. Imported models are left alone.
///
/// Local models are loaded once each and run item by item with seeded sampling (reproducible); remote
/// calls run concurrently (`Options.concurrency` in flight). Every output is committed on its own, so a
/// run killed at any moment keeps what it produced and the next one continues.
///
/// ```swift
/// let ids = try store.saveSuite(suite.storeDefinition)
/// let generator = CandidateGenerator(store: store, suite: suite, ids: ids)
/// let summary = try await generator.run { progress in print(progress.done, "/", progress.total) }
/// print(summary)   // "candidates: 12 generated, 36 already stored, 0 failed"
/// ```
public struct CandidateGenerator: Sendable {
    public struct Options: Sendable {
        /// Remote calls in flight at once.
        public var concurrency: Int
        /// Where API keys are looked up (tests pass their own).
        public var environment: [String: String]
        /// How local models compute (threads, sgemm threshold, weight layout): the CLI's reading of the environment.
        public var engine: EngineConfiguration
        /// Set: this run shares the work with every other worker generating for the same suite on the same
        /// store, claiming outputs under leases (``CandidateGenerator/runShared(_:summary:shared:tracker:)``).
        public var shared: SharedWork?

        public init(concurrency: Int = 8, environment: [String: String] = ProcessInfo.processInfo.environment,
                    engine: EngineConfiguration = EngineConfiguration(), shared: SharedWork? = nil) {
            self.concurrency = max(1, concurrency)
            self.environment = environment
            self.engine = engine
            self.shared = shared
        }
    }

    /// A worker's share of generation: who it is in the store, and how long its claims hold without renewal.
    public struct SharedWork: Sendable, Hashable {
        /// This worker's name in the store (`SharedJudgingRun.defaultOwner()`: host, process id, a random part).
        public var owner: String
        public var lease: Duration
        /// How often a worker with nothing to claim looks again while others still hold work.
        public var idlePoll: Duration

        public init(owner: String, lease: Duration = .seconds(60), idlePoll: Duration = .milliseconds(500)) {
            self.owner = owner
            self.lease = lease
            self.idlePoll = idlePoll
        }
    }

    let store: JudgeStore
    let suite: Suite
    let ids: SuiteIDs
    let options: Options

    public init(store: JudgeStore, suite: Suite, ids: SuiteIDs, options: Options = Options()) {
        self.store = store
        self.suite = suite
        self.ids = ids
        self.options = options
    }

    // MARK: - Planning

    /// What a run would do: per generated model, how many outputs are stored and how many are missing.
    /// Reads each local model's header (for its template) but loads no weights and calls nothing.
    public func plan() throws -> GenerationPlan {
        let work = try prepare()
        return GenerationPlan(models: try work.map { model in
            let stored = try model.jobs.filter { try store.candidate(modelID: $0.modelID, itemID: $0.itemID, contentKey: $0.key) != nil }.count
            return GenerationPlan.Model(name: model.spec.name, kind: model.spec.source.kind,
                                        items: model.jobs.count, stored: stored)
        })
    }

    // MARK: - Running

    /// Generates and stores every missing output: remote models first (concurrently), then local ones.
    ///
    /// A failed item (a prompt too long, a call that failed after its retries) is counted and named in
    /// the summary, and the others go on; a remote model whose endpoint refuses a request (4xx) or keeps
    /// failing is not called again this run. Cancellation stops after the item in progress.
    /// - Throws: ``CandidateGenerationError`` for a model that cannot be loaded or a setting it cannot use.
    public func run(progress: @escaping @Sendable (GenerationProgress) -> Void = { _ in }) async throws -> GenerationSummary {
        let work = try prepare()
        var summary = GenerationSummary()
        var missing: [ModelWork] = []
        for model in work {
            var left = model
            left.jobs = []
            for job in model.jobs {
                if let stored = try store.candidate(modelID: job.modelID, itemID: job.itemID, contentKey: job.key) {
                    try store.saveCandidate(stored)   // current again, if another output had replaced it
                    summary.reused += 1
                } else {
                    left.jobs.append(job)
                }
            }
            if !left.jobs.isEmpty { missing.append(left) }
        }
        let tracker = ProgressTracker(total: missing.reduce(0) { $0 + $1.jobs.count }, report: progress)
        if let shared = options.shared {
            return try await runShared(missing, summary: summary, shared: shared, tracker: tracker)
        }
        let remote = missing.filter { if case .remote = $0.spec.source { true } else { false } }
        let local = missing.filter { if case .local = $0.spec.source { true } else { false } }
        summary.merge(try await runRemote(remote, tracker: tracker))
        for model in local {
            if Task.isCancelled { summary.cancelled = true; break }
            summary.merge(try runLocal(model, tracker: tracker))
        }
        if Task.isCancelled { summary.cancelled = true }
        return summary
    }

    // MARK: - Work

    /// One output to produce: where it goes, its key, and what to ask.
    struct Job: Sendable {
        var modelID: Int64
        var itemID: Int64
        var itemLabel: String
        var key: String
        var system: String?
        var prompt: String
        /// The templated prompt (local models).
        var rendered: String?
    }

    /// A generated model's settings and jobs.
    struct ModelWork: Sendable {
        var spec: ModelSpec
        var settings: GenerationSettings
        var template: ChatTemplateBox?
        var jobs: [Job]
    }

    /// The jobs of every local and remote model of the suite, keyed.
    func prepare() throws -> [ModelWork] {
        var work: [ModelWork] = []
        for spec in suite.models {
            let settings: GenerationSettings
            var template: ChatTemplateBox?
            var keyPrefix: [String]
            switch spec.source {
            case .imported:
                continue
            case let .local(path, chatTemplate):
                let fingerprint = try ModelFingerprint.of(path)
                let file: GGUFFile
                do { file = try GGUFFile.shared(url: path) } catch {  // H2: one parse per file, not per entry
                    throw CandidateGenerationError.unloadableModel(model: spec.name, path: path.path, reason: "\(error)")
                }
                let chosen = LocalModelSession.template(file: file, override: chatTemplate)
                if let guessed = chosen.guessed {
                    FileHandle.standardError.write(Data("warning: \(spec.name) (\(path.path)): \(guessed)\n".utf8))
                }
                template = ChatTemplateBox(file: file, template: chosen)
                settings = GenerationSettings.local(spec, template: chosen.kind.rawValue)
                do { try settings.sampling.validate() } catch {
                    throw CandidateGenerationError.invalidSetting(model: spec.name, reason: "\(error)")
                }
                keyPrefix = ["candidate@1", "local", fingerprint, settings.json]
            case let .remote(url, model, _):
                // Every sampling setting the suite gives is sent (CandidateGenerator+Remote.swift).
                settings = GenerationSettings.remote(spec)
                keyPrefix = ["candidate@1", "remote", url, model, settings.json]
            }
            guard let modelID = ids.models[spec.name] else { throw CandidateGenerationError.unsavedSuite(suite.name) }
            var jobs: [Job] = []
            for task in suite.tasks {
                for item in task.items {
                    guard let itemID = ids.items[task.name]?[item.id] else { throw CandidateGenerationError.unsavedSuite(suite.name) }
                    let system = item.system ?? spec.systemPrompt
                    var job = Job(modelID: modelID, itemID: itemID, itemLabel: "\(task.name)/\(item.id)", key: "",
                                  system: system, prompt: item.prompt)
                    if let template {
                        let rendered = LocalModelSession.render(template.template, system: system, prompt: item.prompt)
                        job.rendered = rendered
                        job.key = ContentKey.make(keyPrefix + [rendered])
                    } else {
                        job.key = ContentKey.make(keyPrefix + [system ?? "", item.prompt])
                    }
                    jobs.append(job)
                }
            }
            work.append(ModelWork(spec: spec, settings: settings, template: template, jobs: jobs))
        }
        return work
    }

    /// Stores one produced output as the current one of its (model, item).
    func save(_ output: String, for job: Job, model: ModelWork) throws {
        try store.saveCandidate(CandidateRecord(
            modelID: job.modelID, itemID: job.itemID, output: output, contentKey: job.key,
            source: model.spec.source.kind, settings: model.settings.json))
    }
}

/// A parsed GGUF file and the chat template chosen for it, carried from planning to loading.
struct ChatTemplateBox: @unchecked Sendable {
    let file: GGUFFile
    let template: ChatTemplate
}
