import ArgumentParser
import Candidates
import Foundation
import HTTP
import Judge
import Store
import Suite

/// `judge compare SUITE.yaml`: the whole loop — generate the missing outputs of the suite's local and remote
/// models, judge pairs of outputs (with the suite's judge, or the embedded local one), rank the models and
/// write the report.
///
/// The phases live in extensions by concern: `+Generation`, `+EmbeddedJudge` (the judge endpoint),
/// `+Judging` (a fixed plan), `+Adaptive` (`--pairs adaptive`) and `+Report`.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Generate missing outputs, judge the suite's models pairwise, rank them and write the report.",
        discussion: """
        1. Every missing output of the suite's local (GGUF) and remote (OpenAI-compatible) models is generated \
        and stored, keyed by the model file's fingerprint or the endpoint, the generation settings and the \
        prompt: a rerun generates nothing, and changing one model or setting regenerates only its outputs.
        2. Pairs of the suite's models are judged on the items that have outputs from both: every pair (--pairs \
        all), N pairs per item (sample:N), or rounds of the pairs that reduce rating uncertainty most until \
        --budget judge calls are spent (adaptive); in both orders unless the suite says both_orders: false. \
        With no judge URL (judge.url or --judge-url) the embedded local judge runs in this process on a \
        loopback port. Judgments already in the store are reused, never sent again.
        3. The models are ranked (Bradley-Terry, bootstrap intervals) and report.html, report.md, \
        ratings.json and ratings.csv are written to --out (default reports/SUITE-NAME), as `judge report` does; \
        the leaderboard and the held-out check's verdict are printed.

        Interrupting (Ctrl-C, or a kill) keeps everything stored; the same command continues where it stopped. \
        Exit status: 0; 3 when the suite has held-out tasks and the held-out check suspects overfitting (as \
        `judge overfit`; --no-overfit-status keeps 0); 1 when the judge stopped the run; 130 when interrupted. \
        The judge's API key is read from the environment variable named by judge.api_key_env (default \
        OPENAI_API_KEY); it is never stored or printed.
        """
    )

    @Argument(help: "The suite file (YAML).")
    var suite: String

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("judge-url"), help: "The judge's chat-completions base URL (…/v1); overrides judge.url.")
    var judgeURL: String?

    @Option(name: .customLong("judge-model"), help: "The judge model; overrides judge.model.")
    var judgeModel: String?

    @Option(name: .customLong("judge-path"), help: "The embedded judge's GGUF file (used when there is no judge URL); overrides judge.path.")
    var judgePath: String?

    @Option(name: .long, help: "Which pairs to judge: all, sample:N (N pairs per item), or adaptive (needs --budget).")
    var pairs: PairsOption = .fixed(.all)

    @Option(name: .long, help: "With --pairs adaptive: the most judge calls the suite's store may hold for this judge (a rerun continues up to it).")
    var budget: Int?

    @Option(name: .long, help: "Judge calls in flight at once (default: judge.concurrency, else 8; the embedded judge: 4 generating together).")
    var concurrency: Int?

    @Option(name: .customLong("max-cost"), help: "Stop scheduling calls before this run's spending could pass USD (needs a price for the judge model).")
    var maxCost: Double?

    @Option(name: .long, help: "The report's directory (default: reports/SUITE-NAME).")
    var out: String?

    @OptionGroup var rating: ReportRatingOptions

    @Flag(name: .customLong("no-report"), help: "Judge only: write no report and print no leaderboard.")
    var noReport = false

    @Flag(name: .customLong("no-overfit-status"), help: "Exit 0 even when the held-out check suspects overfitting.")
    var noOverfitStatus = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be generated and judged, and the estimated cost; send nothing.")
    var dryRun = false

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: "Seconds a worker's claim on judge calls lasts without renewal: how soon other workers on the same store take over the calls of one that died.")
    var lease = 60.0

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxCost, !(maxCost > 0) { throw ValidationError("--max-cost must be a positive amount in USD") }
        if let judgeURL, !(judgeURL.hasPrefix("http://") || judgeURL.hasPrefix("https://")) {
            throw ValidationError("--judge-url must be an http:// or https:// URL, not \"\(judgeURL)\"")
        }
        if let judgePath { try ModelFileOption.checkReadable(judgePath, option: "--judge-path") }
        switch (pairs, budget) {
        case (.adaptive, nil):
            throw ValidationError("--pairs adaptive needs --budget N: the most judge calls to spend")
        case (.adaptive, let budget?) where budget < 1:
            throw ValidationError("--budget must be at least 1 judge call")
        case (.fixed, _?):
            throw ValidationError("--budget applies to --pairs adaptive only; with --pairs \(pairs) every chosen pair is judged")
        default: break
        }
        try rating.check()
        try batch.check(pairs: pairs)
        guard lease >= 1, lease.isFinite else { throw ValidationError("--lease must be at least 1 second") }
    }

    func run() async throws {
        // One Ctrl-C scope for generating and judging: the first Ctrl-C stops after the work in progress
        // (everything finished is stored), a second quits at once.
        let judged = try await withCancellationOnInterrupt(
            notice: "\ninterrupted: stopping; everything stored is kept, the same command continues (Ctrl-C again to quit at once)"
        ) {
            try await self.generateAndJudge()
        }
        guard let judged, !noReport else { return }
        let overfitSuspected = try writeReport(suite: judged.suite, store: judged.store)
        if overfitSuspected, !noOverfitStatus { throw ExitCode(3) }
    }

    /// What the report is made from.
    struct Judged: Sendable {
        var suite: Suite
        var store: JudgeStore
    }

    /// Generates, then judges; `nil` for a dry run.
    /// - Throws: `ExitCode(130)` when interrupted, `ExitCode.failure` when the judge stopped the run.
    func generateAndJudge() async throws -> Judged? {
        var suite = try SuiteLoading.load(self.suite)
        if let judgeURL { (suite.judge.url, suite.judge.additionalURLs) = (judgeURL, []) }
        if let judgeModel { suite.judge.model = judgeModel }
        guard suite.models.count >= 2 else {
            throw CompareFailure("\(suite.file.path): judging needs at least two models under models:, the suite has \(suite.models.count)")
        }
        let judge = suite.judge
        let price = judge.prices[judge.model]
        if maxCost != nil, price == nil {
            throw CompareFailure("--max-cost needs the judge model's price: add judge.prices.\(judge.model): { input: USD, output: USD } (per million tokens) to \(suite.file.path)")
        }
        let template = try judge.loadTemplate()
        let judgeStore = try store.open(suiteFile: suite.file)
        let ids = try judgeStore.saveSuite(suite.storeDefinition)

        // MARK: 1. Generation
        let generator = CandidateGenerator(store: judgeStore, suite: suite, ids: ids,
                                           options: .init(concurrency: concurrency ?? judge.concurrency ?? 8))
        if dryRun {
            let generationPlan = try generator.plan()
            if generationPlan.missing > 0 {
                print("dry run: \(generationPlan.missing) candidate outputs to generate first (the judging estimate below leaves them out)")
                print(generationPlan)
            }
        } else {
            try await generate(with: generator)
        }

        // MARK: 2. Judging
        let candidates = try judgeStore.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
        let selection: PairSelection
        if case .fixed(let fixed) = pairs { selection = fixed } else { selection = .all }
        let plan = try ComparisonPlan(
            suite: suite, ids: ids, candidates: candidates,
            settings: .init(template: template, judgeModel: judge.model, bothOrders: judge.bothOrders, pairs: selection))
        for missing in plan.missingOutputs {
            // A dry run generated nothing: only imported models' gaps are news.
            let imported = suite.models.first { $0.name == missing.model }?.source == .imported
            if !dryRun || imported { Self.note("note: \(missing)\(Self.missingHint(missing, suite: suite))") }
        }
        guard !plan.entries.isEmpty else {
            if dryRun { return nil }
            throw CompareFailure("nothing to judge: no item has stored outputs from two of the suite's models; give the suite local or remote models, or import outputs with `judge import OUTPUTS.jsonl --suite \(self.suite)`")
        }
        let endpoint = try judgeEndpoint(for: suite)
        let viaBatch = batch.enabled(for: judge)
        let options = JudgingRun.Options(
            judgeModel: judge.model, concurrency: endpoint.concurrency, maxTokens: judge.maxTokens,
            temperature: judge.temperature, seed: judge.seed, price: viaBatch ? price?.batchPrice : price, maxCost: maxCost)
        if dryRun {
            try printDryRun(plan: plan, store: judgeStore, options: options, endpoint: endpoint, template: template)
            if viaBatch { print("through the Batch API: costs above at the batch price (judge.prices.\(judge.model).batch_discount \(price?.batchDiscount ?? 0))") }
            return nil
        }
        if viaBatch {
            let summary = try await judgeThroughBatch(plan, endpoint: endpoint, store: judgeStore, options: options)
            return try finish(summary, stopReason: summary.judging.stopReason, suite: suite, store: judgeStore,
                              template: template, embedded: false)
        }
        let summary = try await endpoint.withClient { client in
            let context = JudgingContext(suite: suite, ids: ids, store: judgeStore, client: client, options: options,
                                         template: template)
            switch pairs {
            case .fixed: return try await judgeAll(plan, context: context)
            case .adaptive: return try await judgeAdaptively(plan, budget: budget!, context: context)
            }
        }
        return try finish(summary, stopReason: summary.stopReason, suite: suite, store: judgeStore, template: template,
                          embedded: endpoint.embedded)
    }

    /// Prints the judging summary and the judge's health; the exit status follows why judging stopped.
    private func finish(_ summary: CustomStringConvertible & Sendable, stopReason: JudgingSummary.StopReason?, suite: Suite,
                        store judgeStore: JudgeStore, template: JudgeTemplate, embedded: Bool) throws -> Judged {
        let judge = suite.judge
        print("judged \(suite.name) with \(judge.model) (template \(template.id) \(template.version))\(embedded ? ", the embedded local judge" : "")")
        print(summary)
        print(Self.describe(try judgeStore.judgeHealth(suite: suite.name, judgeModel: judge.model)))
        switch stopReason {
        case .fatal?, .failuresPersist?: throw ExitCode.failure
        case .cancelled?: throw ExitCode(130)
        case .budget?, nil: return Judged(suite: suite, store: judgeStore)
        }
    }

    // MARK: - Helpers

    /// Why a model has no outputs, and what to do.
    static func missingHint(_ missing: ComparisonPlan.MissingOutputs, suite: Suite) -> String {
        switch suite.models.first(where: { $0.name == missing.model })?.source {
        case .imported?: return " (import them with `judge import OUTPUTS.jsonl --suite \(suite.file.path)`)"
        default: return " (its generation failed or was interrupted; run `judge compare` again to retry)"
        }
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}

/// `judge compare` cannot go on; the description says what to do.
struct CompareFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
