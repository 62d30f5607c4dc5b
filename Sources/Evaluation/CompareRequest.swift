import Foundation
import LocalInference
import Judge
import Rank

/// What `judge compare` was asked to do, parsed and validated by the command: the suite, the store, the
/// judge overrides, which pairs to judge, limits, and how to rate and report.
public struct CompareRequest: Sendable {
    /// Which pairs of outputs to judge.
    public enum Pairs: Sendable, Hashable, CustomStringConvertible {
        /// A fixed selection per item (`all`, `sample:N`).
        case fixed(PairSelection)
        /// Rounds of the pairs that reduce rating uncertainty most, up to `budget` judge calls.
        case adaptive(budget: Int)

        public var description: String {
            switch self {
            case .fixed(let selection): selection.description
            case .adaptive: "adaptive"
            }
        }
    }

    public var suiteFile: String
    /// The store's path; `nil`: `judge.sqlite` beside the suite file.
    public var storePath: String?
    public var judgeURL: String?
    public var judgeModel: String?
    public var judgePath: String?
    public var pairs: Pairs
    public var concurrency: Int?
    public var maxCost: Double?
    /// The report's directory; `nil`: `reports/SUITE-NAME`.
    public var out: String?
    public var rating: RatingOptions
    /// Sample comparisons the report shows.
    public var sampleLimit: Int
    /// Told each report phase's name and duration (`--verbose`).
    public var onPhase: (@Sendable (String, Double) -> Void)?
    public var writeReport: Bool
    /// How local models (candidates and the embedded judge) compute: the CLI reads it from the environment.
    public var engine: EngineConfiguration
    public var dryRun: Bool
    /// Seconds a worker's claim on judge calls lasts without renewal (SharedJudgingRun).
    public var lease: Double = 60
    /// Judge through the Batch API (`--batch`; the suite's `judge.batch: true` asks the same).
    public var batch = false
    /// Time between two status checks of an open batch.
    public var batchPollInterval: Duration = .seconds(30)

    public init(suiteFile: String, storePath: String? = nil, judgeURL: String? = nil, judgeModel: String? = nil,
                judgePath: String? = nil, pairs: Pairs = .fixed(.all), concurrency: Int? = nil, maxCost: Double? = nil,
                out: String? = nil, rating: RatingOptions = RatingOptions(), sampleLimit: Int = 12,
                onPhase: (@Sendable (String, Double) -> Void)? = nil, writeReport: Bool = true, dryRun: Bool = false,
                engine: EngineConfiguration = EngineConfiguration()) {
        self.suiteFile = suiteFile
        self.engine = engine
        self.storePath = storePath
        self.judgeURL = judgeURL
        self.judgeModel = judgeModel
        self.judgePath = judgePath
        self.pairs = pairs
        self.concurrency = concurrency
        self.maxCost = maxCost
        self.out = out
        self.rating = rating
        self.sampleLimit = sampleLimit
        self.onPhase = onPhase
        self.writeReport = writeReport
        self.dryRun = dryRun
    }
}

/// Where the pipeline's text goes: results to `print` (stdout), notes and warnings to `note` (stderr).
public struct EvaluationOutput: Sendable {
    public var print: @Sendable (String) -> Void
    public var note: @Sendable (String) -> Void

    public init(print: @escaping @Sendable (String) -> Void, note: @escaping @Sendable (String) -> Void) {
        self.print = print
        self.note = note
    }

    /// stdout and stderr.
    public static let standard = EvaluationOutput(
        print: { Swift.print($0) },
        note: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
}

/// How a compare run ended.
public enum CompareResult: Sendable, Hashable {
    /// A dry run: nothing sent.
    case dryRun
    /// Judged, without a report (`--no-report`).
    case judged
    /// Judged and reported; the held-out check's exit status: 0 generalizes (or no held-out task, or the
    /// check could not run), 3 overfit suspected, 5 inconclusive; and whether the judge is unreliable
    /// (its verdicts explained by position alone: `--strict` exits 4).
    case reported(heldOutStatus: Int32, judgeUnreliable: Bool)
}

/// Why a compare run cannot go on, or stopped; the description says what to do.
public enum EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run cannot start or go on (a suite without models, no judge, nothing to judge, …).
    case failure(String)
    /// The judge stopped the run (a 4xx, persistent failures): exit status 1.
    case judgeStopped
    /// Ctrl-C: everything finished is stored; exit status 130.
    case interrupted

    public var description: String {
        switch self {
        case .failure(let message): message
        case .judgeStopped: "the judge stopped the run (see above); everything judged is stored"
        case .interrupted: "interrupted; everything finished is stored, the same command continues"
        }
    }
}
