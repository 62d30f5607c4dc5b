import ArgumentParser
import Candidates
import Foundation
import HTTP
import Judge
import Store
import Suite

/// `judge compare SUITE.yaml`: generates the missing outputs of the suite's local and remote models, then
/// judges the stored outputs of all its models, pair by pair.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Generate missing candidate outputs, then judge the suite's models pairwise and store every verdict.",
        discussion: """
        First every missing output of the suite's local (GGUF) and remote (OpenAI-compatible) models is generated \
        and stored, each keyed by the model file's fingerprint or the endpoint, the generation settings and the \
        prompt: a rerun generates nothing, and changing one model or setting regenerates only its outputs. Then every pair of the suite's models is judged on every item that has outputs from both (or N pairs per item \
        with --pairs sample:N), in both orders unless the suite says both_orders: false. Judgments already in the \
        store are reused, never sent again, so an interrupted run continues where it stopped. The judge's API key \
        is read from the environment variable named by judge.api_key_env (default OPENAI_API_KEY); it is never \
        stored or printed. Ends with a summary: calls sent, reused, failed, unparsed, tokens, cost.
        """
    )

    @Argument(help: "The suite file (YAML).")
    var suite: String

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("judge-url"), help: "The judge's chat-completions base URL (…/v1); overrides judge.url.")
    var judgeURL: String?

    @Option(name: .customLong("judge-model"), help: "The judge model; overrides judge.model.")
    var judgeModel: String?

    @Option(name: .long, help: "Which pairs to judge on each item: all, or sample:N.")
    var pairs: String = "all"

    @Option(name: .long, help: "Judge calls in flight at once (default: judge.concurrency, else 8).")
    var concurrency: Int?

    @Option(name: .customLong("max-cost"), help: "Stop scheduling calls before this run's spending could pass USD (needs a price for the judge model).")
    var maxCost: Double?

    @Flag(name: .customLong("dry-run"), help: "Print the number of calls and the estimated cost; send nothing.")
    var dryRun = false

    func validate() throws {
        guard PairSelection(argument: pairs) != nil else {
            throw ValidationError("--pairs must be all or sample:N with N ≥ 1, not \"\(pairs)\"")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxCost, !(maxCost > 0) { throw ValidationError("--max-cost must be a positive amount in USD") }
        if let judgeURL, !(judgeURL.hasPrefix("http://") || judgeURL.hasPrefix("https://")) {
            throw ValidationError("--judge-url must be an http:// or https:// URL, not \"\(judgeURL)\"")
        }
    }

    func run() async throws {
        var suite = try SuiteLoading.load(self.suite)
        if let judgeURL { suite.judge.url = judgeURL }
        if let judgeModel { suite.judge.model = judgeModel }
        let judge = suite.judge
        guard suite.models.count >= 2 else {
            throw CompareFailure("\(suite.file.path): judging needs at least two models under models:, the suite has \(suite.models.count)")
        }
        let price = judge.prices[judge.model]
        if maxCost != nil, price == nil {
            throw CompareFailure("--max-cost needs the judge model's price: add judge.prices.\(judge.model): { input: USD, output: USD } (per million tokens) to \(suite.file.path)")
        }
        let template = try judge.loadTemplate()

        let judgeStore = try store.open(suiteFile: suite.file)
        let ids = try judgeStore.saveSuite(suite.storeDefinition)
        let generator = CandidateGenerator(store: judgeStore, suite: suite, ids: ids,
                                           options: .init(concurrency: concurrency ?? judge.concurrency ?? 8))
        var generationPlan: GenerationPlan?
        if dryRun {
            generationPlan = try generator.plan()
        } else {
            try await generate(with: generator)
        }
        let candidates = try judgeStore.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
        let plan = try ComparisonPlan(
            suite: suite, ids: ids, candidates: candidates,
            settings: .init(template: template, judgeModel: judge.model, bothOrders: judge.bothOrders,
                            pairs: PairSelection(argument: pairs)!))
        for missing in plan.missingOutputs { Self.note("note: \(missing) (import them with `judge import`)") }
        if let generationPlan, generationPlan.missing > 0 {
            print("dry run: \(generationPlan.missing) candidate outputs to generate first (the judging estimate below leaves them out)")
            print(generationPlan)
            if plan.entries.isEmpty { return }
        }
        guard !plan.entries.isEmpty else {
            throw CompareFailure("nothing to judge: no item has stored outputs from two of the suite's models; import outputs with `judge import OUTPUTS.jsonl --suite \(self.suite)`")
        }

        let options = JudgingRun.Options(
            judgeModel: judge.model, concurrency: concurrency ?? judge.concurrency ?? 8, maxTokens: judge.maxTokens,
            temperature: judge.temperature, seed: judge.seed, price: price, maxCost: maxCost)

        if dryRun {
            let estimate = try JudgingRun(store: judgeStore, client: NoCalls(), options: options).estimate(plan)
            print(Self.describe(estimate, judgeModel: judge.model, template: template, maxTokens: judge.maxTokens))
            return
        }

        guard let url = judge.url.flatMap(URL.init(string:)) else {
            throw CompareFailure("no judge to call: give judge.url in \(suite.file.path) or --judge-url URL (an OpenAI-compatible …/v1 endpoint); the embedded local judge comes with the end-to-end issue")
        }
        let http = HTTPClient(configuration: .init(maxConcurrentTransfers: options.concurrency))
        let client = ChatCompletionsClient(baseURL: url, apiKeyEnvironmentVariable: judge.apiKeyEnv, http: http)
        if !client.hasAPIKey, !Self.isLoopback(url) {
            Self.note("note: $\(judge.apiKeyEnv) is not set: calling \(url.absoluteString) without an API key")
        }

        let bar = ProgressBar(label: "judging")
        let runner = JudgingRun(store: judgeStore, client: client, options: options)
        // First Ctrl-C: stop scheduling, let calls in flight end, store them, print the summary. Second: quit.
        let summary = try await withCancellationOnInterrupt(
            notice: "\ninterrupted: stopping; stored verdicts are kept (Ctrl-C again to quit at once)"
        ) {
            try await runner.run(plan) { progress in
                var detail: [String] = []
                if progress.failed > 0 { detail.append("\(progress.failed) failed") }
                if progress.unparsed > 0 { detail.append("\(progress.unparsed) unparsed") }
                if let cost = progress.cost { detail.append(String(format: "$%.4f", cost)) }
                bar.update(done: progress.done, total: progress.total, detail: detail.joined(separator: ", "))
            }
        }
        bar.finish()
        print("judged \(suite.name) with \(judge.model) (template \(template.id) \(template.version))")
        print(summary)
        print(Self.describe(try judgeStore.judgeHealth(suite: suite.name, judgeModel: judge.model)))
        switch summary.stopReason {
        case .fatal?, .failuresPersist?: throw ExitCode.failure
        case .cancelled?: throw ExitCode(130)
        case .budget?, nil: break
        }
    }

    // MARK: - Generation

    /// Generates the missing candidate outputs, with a progress bar on stderr; exits 130 when interrupted.
    private func generate(with generator: CandidateGenerator) async throws {
        let bar = ProgressBar(label: "generating")
        let summary = try await withCancellationOnInterrupt(
            notice: "\ninterrupted: stopping after the current output; stored outputs are kept (Ctrl-C again to quit at once)"
        ) {
            try await generator.run { progress in
                bar.update(done: progress.done, total: progress.total,
                           detail: progress.model + (progress.failed > 0 ? ", \(progress.failed) failed" : ""))
            }
        }
        bar.finish()
        for failure in summary.failures {
            Self.note("warning: \(failure.model) on \(failure.item): no output: \(failure.reason)")
        }
        if summary.generated > 0 || !summary.failures.isEmpty || summary.cancelled { Self.note(summary.description) }
        if summary.cancelled { throw ExitCode(130) }
    }

    // MARK: - Helpers

    static func describe(_ estimate: JudgingRun.Estimate, judgeModel: String, template: JudgeTemplate, maxTokens: Int) -> String {
        var lines = [
            "dry run: nothing sent",
            "judgments: \(estimate.planned) planned, \(estimate.reused) already in the store, \(estimate.identical) identical-output ties (no call)",
            "calls to send: \(estimate.calls) to \(judgeModel) (template \(template.id) \(template.version))",
            "estimated tokens: \(estimate.promptTokens) prompt (4 characters a token), \(estimate.completionTokens) completion (\(min(maxTokens, TokenEstimate.assumedCompletionTokens)) a call; at most \(estimate.completionTokensMax) with max_tokens \(maxTokens))",
        ]
        if let cost = estimate.cost, let costMax = estimate.costMax {
            lines.append(String(format: "estimated cost: $%.4f (at most $%.4f if every reply used max_tokens)", cost, costMax))
        } else {
            lines.append("estimated cost: unknown (add judge.prices.\(judgeModel): { input: USD, output: USD } per million tokens to the suite)")
        }
        return lines.joined(separator: "\n")
    }

    /// One line of judge health over everything this judge has judged in the suite.
    static func describe(_ health: JudgeHealth) -> String {
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a" }
        return "judge health (whole store): first position wins \(percent(health.firstPositionWinRate)) of decisive verdicts, "
            + "orders disagree on \(percent(health.orderDisagreementRate)) of pairs, longer answer wins \(percent(health.longerAnswerWinRate)); "
            + "\(health.resolvedComparisons) comparisons resolved, \(health.unresolvedComparisons) not (unparsed \(health.unparsed), failed \(health.failed))"
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}

/// A client for dry runs: the estimate never calls it.
private struct NoCalls: ChatCompleting {
    func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion {
        throw ChatCompletionsError.rejected(status: 0, message: "dry run: no calls are sent")
    }
}

/// `judge compare` cannot go on; the description says what to do.
struct CompareFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
