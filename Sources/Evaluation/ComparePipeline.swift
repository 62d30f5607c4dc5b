import Candidates
import Comparisons
import Foundation
import HTTP
import Judge
import Store
import Suite

// MARK: - ComparePipeline: generate, plan, judge, rate, report

/// The whole loop of `judge compare`, between the stages and the command: generate the suite's missing
/// outputs, plan the comparisons, judge them (a fixed plan or adaptive rounds, with the suite's judge or the
/// embedded local one), then rate the judged configuration and write the report.
///
/// Generating and judging run in one Ctrl-C scope: the first Ctrl-C stops after the work in progress
/// (everything finished is stored), a second quits at once.
///
/// ```swift
/// let result = try await ComparePipeline(request: CompareRequest(suiteFile: "suite.yaml")).run()
/// ```
public struct ComparePipeline: Sendable {
    public var request: CompareRequest
    public var output: EvaluationOutput

    public init(request: CompareRequest, output: EvaluationOutput = .standard) {
        self.request = request
        self.output = output
    }

    /// Runs the loop.
    /// - Throws: ``EvaluationError`` (a failure, the judge stopping the run, an interrupt), or what a stage threw.
    public func run() async throws -> CompareResult {
        let pipeline = self
        let judged = try await withCancellationOnInterrupt(
            notice: "\ninterrupted: stopping; everything stored is kept, the same command continues (Ctrl-C again to quit at once)"
        ) {
            try await pipeline.generateAndJudge()
        }
        guard let judged else { return .dryRun }
        guard request.writeReport else { return .judged }
        let reported = try writeReport(judged)
        return .reported(heldOutStatus: reported.heldOutStatus, judgeUnreliable: reported.judgeUnreliable)
    }

    /// What the report is made from.
    struct Judged: Sendable {
        var suite: Suite
        var store: JudgeStore
        /// The configuration just judged with: the one the report rates.
        var judge: JudgeConfiguration
    }

    // MARK: - Generating and judging

    /// Generates, then judges; `nil` for a dry run.
    func generateAndJudge() async throws -> Judged? {
        var suite = try Suite.load(from: URL(fileURLWithPath: request.suiteFile))
        for warning in suite.warnings { output.note("\(warning)") }
        if let judgeURL = request.judgeURL { suite.judge.url = judgeURL }
        if let judgeModel = request.judgeModel { suite.judge.model = judgeModel }
        guard suite.models.count >= 2 else {
            throw EvaluationError.failure("\(suite.file.path): judging needs at least two models under models:, the suite has \(suite.models.count)")
        }
        let judge = suite.judge
        let price = judge.prices[judge.model]
        if request.maxCost != nil, price == nil {
            throw EvaluationError.failure("--max-cost needs the judge model's price: add judge.prices.\(judge.model): { input: USD, output: USD } (per million tokens) to \(suite.file.path)")
        }
        let template = try judge.loadTemplate()
        let judgeStore = try JudgeStore.open(storePath(suite))
        let ids = try judgeStore.saveSuite(suite.storeDefinition)

        // MARK: 1. Generation
        // Shared with every other `judge compare` on this suite and store, as judging is: outputs are claimed
        // under leases, so none is generated (or paid for) twice.
        let sharedGeneration = CandidateGenerator.SharedWork(owner: SharedJudgingRun.defaultOwner(),
                                                             lease: .milliseconds(Int64(request.lease * 1000)))
        let generator = CandidateGenerator(store: judgeStore, suite: suite, ids: ids,
                                           options: .init(concurrency: request.concurrency ?? judge.concurrency ?? 8,
                                                         engine: request.engine, shared: sharedGeneration))
        var toGenerate = 0
        if request.dryRun {
            let generationPlan = try generator.plan()
            toGenerate = generationPlan.missing
            if generationPlan.missing > 0 {
                output.print("dry run: \(generationPlan.missing) candidate outputs to generate first (the judging estimate below leaves them out)")
                output.print("\(generationPlan)")
            }
        } else {
            try await generate(with: generator)
        }

        // MARK: 2. Planning
        let candidates = try judgeStore.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
        let selection: PairSelection
        if case .fixed(let fixed) = request.pairs { selection = fixed } else { selection = .all }
        let plan = try ComparisonPlan(
            suite: suite, ids: ids, candidates: candidates,
            settings: .init(template: template, judgeModel: judge.model, temperature: judge.temperature,
                            maxTokens: judge.maxTokens, bothOrders: judge.bothOrders, pairs: selection))
        for missing in plan.missingOutputs {
            // A dry run generated nothing: only imported models' gaps are news.
            let imported = suite.models.first { $0.name == missing.model }?.source == .imported
            if !request.dryRun || imported { output.note("note: \(missing)\(Self.missingHint(missing, suite: suite))") }
        }
        guard !plan.entries.isEmpty else {
            // A dry run says what the real run would: nothing to judge, unless outputs are generated first.
            if request.dryRun && toGenerate > 0 {
                output.print("dry run: nothing to judge yet: the pairs are planned once the outputs above exist")
                return nil
            }
            throw EvaluationError.failure("\(request.dryRun ? "dry run: " : "")nothing to judge: no item has stored outputs from two of the suite's models; give the suite local or remote models, or import outputs with `judge import OUTPUTS.jsonl --suite \(request.suiteFile)`")
        }

        // MARK: 3. Judging
        let endpoint = try JudgeEndpoint(for: suite, judgePath: request.judgePath, concurrency: request.concurrency,
                                         engine: request.engine)
        let batch = request.batch || judge.batch
        if batch { try checkBatchable(endpoint: endpoint) }
        // Through the Batch API every call costs the batch price (judge.prices.M.batch_discount).
        let options = JudgingRun.Options(
            judgeModel: judge.model, concurrency: endpoint.concurrency, seed: judge.seed,
            price: batch ? price?.batchPrice : price, maxCost: request.maxCost)
        if request.dryRun {
            try printDryRun(plan: plan, store: judgeStore, options: options, endpoint: endpoint, template: template, batch: batch)
            return nil
        }
        let pipeline = self
        let summary: JudgingSummary
        if batch {
            summary = try await judgeInBatches(plan, api: endpoint.batchAPI(note: output.note), store: judgeStore, options: options)
        } else {
            summary = try await endpoint.withClient(note: output.note) { client in
                let context = JudgingContext(suite: suite, ids: ids, store: judgeStore, client: client, options: options)
                switch pipeline.request.pairs {
                case .fixed: return try await pipeline.judgeAll(plan, context: context)
                case .adaptive(let budget): return try await pipeline.judgeAdaptively(plan, budget: budget, context: context)
                }
            }
        }
        output.print("judged \(suite.name) with \(plan.judge.description)\(endpoint.embedded ? ", the embedded local judge" : "")")
        output.print("\(summary)")
        output.print(Self.describe(try ComparisonReader(store: judgeStore).health(suites: [suite.name], judge: plan.judge)))
        switch summary.stopReason {
        case .fatal?, .failuresPersist?: throw EvaluationError.judgeStopped
        case .cancelled?: throw EvaluationError.interrupted
        case .budget?, nil: return Judged(suite: suite, store: judgeStore, judge: plan.judge)
        }
    }

    /// The store's path: the request's, else `judge.sqlite` beside the suite file.
    func storePath(_ suite: Suite) -> String {
        request.storePath ?? suite.file.deletingLastPathComponent().appendingPathComponent("judge.sqlite").path
    }

    /// Why a model has no outputs, and what to do.
    static func missingHint(_ missing: ComparisonPlan.MissingOutputs, suite: Suite) -> String {
        switch suite.models.first(where: { $0.name == missing.model })?.source {
        case .imported?: return " (import them with `judge import OUTPUTS.jsonl --suite \(suite.file.path)`)"
        default: return " (its generation failed or was interrupted; run `judge compare` again to retry)"
        }
    }
}
