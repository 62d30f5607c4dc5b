import ArgumentParser
import Evaluation
import Foundation
import Suite

/// `judge compare SUITE.yaml`: the whole loop — generate the missing outputs of the suite's local and remote
/// models, judge pairs of outputs (with the suite's judge, or the embedded local one), rank the models and
/// write the report.
///
/// The command parses and validates; the loop itself is `Evaluation.ComparePipeline`.
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
        the leaderboard, the judge's reliability (reliable, biased or unreliable) and the held-out check's \
        answer are printed. An unreliable judge — its verdicts explained by position alone — is also warned \
        about on stderr and said first in the report.

        Judgments are keyed by the judge configuration (judge model, template and version, temperature, \
        max_tokens): changing any of them judges again, and the report rates this configuration's \
        comparisons only. Interrupting (Ctrl-C, or a kill) keeps everything stored; the same command continues where it stopped. \
        Exit status: 0; when the suite has held-out tasks, 3 when the held-out check suspects overfitting and \
        5 when it is inconclusive (as `judge overfit`; --no-overfit-status keeps 0); 4 with --strict when the \
        judge is unreliable (before the held-out status); 1 when the judge stopped the run; 130 when interrupted. \
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

    @Option(name: .long, parsing: .unconditional, help: "Judge calls in flight at once (default: judge.concurrency, else 8; the embedded judge: 4 generating together).")
    var concurrency: Int?

    @Option(name: .customLong("max-cost"), help: "Stop scheduling calls before this run's spending could pass USD (needs a price for the judge model).")
    var maxCost: Double?

    @Option(name: .long, help: "The report's directory (default: reports/SUITE-NAME).")
    var out: String?

    @OptionGroup var rating: RatingArguments

    @OptionGroup var reporting: ReportArguments

    @Flag(name: .customLong("no-report"), help: "Judge only: write no report and print no leaderboard.")
    var noReport = false

    @Flag(name: .customLong("no-overfit-status"), help: "Exit 0 even when the held-out check suspects overfitting (3) or is inconclusive (5).")
    var noOverfitStatus = false

    @OptionGroup var strictOption: StrictOption

    @Flag(name: .customLong("dry-run"), help: "Print what would be generated and judged, and the estimated cost; send nothing.")
    var dryRun = false

    @Option(name: .long, help: "Seconds a worker's claim on judge calls lasts without renewal: how soon other workers on the same store take over the calls of one that died.")
    var lease = 60.0

    @Flag(name: .long, help: "Judge through the remote judge's Batch API (as judge.batch: true): the batch price, results within 24 hours; with --pairs all or sample:N. A rerun collects open batches instead of sending their calls again.")
    var batch = false

    @Option(name: .customLong("batch-poll"), help: "With --batch: seconds between two status checks of an open batch (0.01 to 3600).")
    var batchPoll = 30.0

    func validate() throws {
        try SettingCheck.check(concurrency, SettingLimits.concurrency, option: "--concurrency")
        if let maxCost, !(maxCost > 0) { throw ValidationError("--max-cost must be a positive amount in USD") }
        try SettingCheck.check(maxCost, in: SettingLimits.maxCost, meaning: "USD", option: "--max-cost")
        if let judgeURL, !(judgeURL.hasPrefix("http://") || judgeURL.hasPrefix("https://")) {
            throw ValidationError("--judge-url must be an http:// or https:// URL, not \"\(judgeURL)\"")
        }
        if let judgePath { try ModelFileOption.checkReadable(judgePath, option: "--judge-path") }
        switch (pairs, budget) {
        case (.adaptive, nil):
            throw ValidationError("--pairs adaptive needs --budget N: the most judge calls to spend")
        case (.adaptive, let budget?):
            try SettingCheck.check(budget, SettingLimits.budget, option: "--budget")
        case (.fixed, _?):
            throw ValidationError("--budget applies to --pairs adaptive only; with --pairs \(pairs) every chosen pair is judged")
        default: break
        }
        try rating.check()
        try reporting.check()
        guard lease >= 1, lease.isFinite else { throw ValidationError("--lease must be at least 1 second") }
        guard (0.01...3600).contains(batchPoll) else { throw ValidationError("--batch-poll must lie in 0.01…3600 seconds, not \(batchPoll)") }
        if batch, case .adaptive = pairs {
            throw ValidationError("--batch judges a fixed plan: use --pairs all or sample:N (adaptive rounds wait on each round's verdicts)")
        }
    }

    func run() async throws {
        var request = CompareRequest(
            suiteFile: suite, storePath: store.db, judgeURL: judgeURL, judgeModel: judgeModel, judgePath: judgePath,
            pairs: requestedPairs, concurrency: concurrency, maxCost: maxCost, out: out, rating: rating.options,
            sampleLimit: reporting.samples, onPhase: reporting.phaseTimer, writeReport: !noReport, dryRun: dryRun,
            engine: .fromEnvironment())
        request.storePath = store.path(suiteFile: URL(fileURLWithPath: suite))
        request.lease = lease
        request.batch = batch
        request.batchPollInterval = .milliseconds(Int64((batchPoll * 1000).rounded()))
        do {
            switch try await ComparePipeline(request: request).run() {
            case .dryRun, .judged: return
            case .reported(let heldOutStatus, let judgeUnreliable):
                if judgeUnreliable, strictOption.strict { throw ExitCode(StrictOption.unreliableJudgeStatus) }
                if heldOutStatus != 0, !noOverfitStatus { throw ExitCode(heldOutStatus) }
            }
        } catch EvaluationError.judgeStopped {
            throw ExitCode.failure
        } catch EvaluationError.interrupted {
            throw ExitCode(130)
        }
    }

    /// `--pairs` with `--budget`, as the pipeline takes them (`validate()` has checked they go together).
    var requestedPairs: CompareRequest.Pairs {
        switch pairs {
        case .fixed(let selection): .fixed(selection)
        case .adaptive: .adaptive(budget: budget ?? 1)
        }
    }
}
