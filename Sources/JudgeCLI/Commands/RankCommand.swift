import ArgumentParser
import Comparisons
import Foundation
import Rank

/// `judge rank`: Bradley-Terry ratings with bootstrap intervals, overall or per task.
///
/// Reads comparisons from a battles file (Chatbot Arena JSONL) or from the store, rates them with
/// `Rank.Ranker`, prints the leaderboard on stdout (diagnostics on stderr).
struct RankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rate models from pairwise verdicts: Bradley-Terry on the Elo scale with bootstrap intervals.",
        discussion: """
        Ties count half a win (or use --ties davidson); a decisive verdict (A>>B) counts \
        --strong-weight wins. JSON output is a list of rows (model, rating, ci_low, ci_high, \
        win_rate_vs_anchor, comparisons, wins, losses, ties), best first.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "A battles file (Chatbot Arena JSONL) instead of the store.")
    var battles: String?
    @Option(name: .long, help: "Rate only the comparisons of this suite (store only).")
    var suite: String?
    @Option(name: .long, help: "Rate only this task.")
    var task: String?
    @Flag(name: .long, help: "One leaderboard per task (besides the overall one for table/markdown).")
    var perTask = false
    @Option(name: .long, help: "Pin a model's rating, e.g. gpt-4=1000 (default: mean rating 1000).")
    var anchor: String?
    @Option(name: .long, help: "Bootstrap rounds for the 95% intervals (0: none).")
    var bootstrap = 1000
    @Option(name: .long, help: "Seed of the bootstrap.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Control for a covariate: length.")
    var control: RatingOptions.Control?
    @Option(name: .long, help: "Tie model: half (a tie is half a win) or davidson.")
    var ties: RatingOptions.TieModel = .half
    @Option(name: .long, help: "How many wins a decisive verdict (A>>B) counts for.")
    var strongWeight: Double = 3
    @Option(name: .long, help: "Gaussian prior strength α on log-strengths (minimizes −log L + α·Σθ²).")
    var prior: Double = 0.05
    @Option(name: .long, help: "Output format: table, json, csv or markdown.")
    var format: Format = .table
    @OptionGroup var judgeChoice: JudgeChoiceOptions
    @Flag(name: .customLong("list-judges"), help: "List the judge configurations in the store, with their counts, and exit.")
    var listJudges = false

    func validate() throws {
        if battles != nil, store.db != nil { throw ValidationError("pass either --db or --battles, not both") }
        if battles != nil, suite != nil {
            throw ValidationError("--suite selects comparisons in the store; with --battles use --task")
        }
        if let suite, !FileManager.default.fileExists(atPath: suite) { throw ValidationError("no suite file at \(suite)") }
        if battles != nil, judgeChoice.judge != nil || listJudges {
            throw ValidationError("--judge and --list-judges read the store; a battles file has no judge configurations")
        }
        try judgeChoice.check()
        if task != nil, perTask { throw ValidationError("--task and --per-task exclude each other") }
        if let anchor, RatingOptions.Anchor(parsing: anchor) == nil {
            throw ValidationError("--anchor must be MODEL=RATING, e.g. gpt-4=1000 (got '\(anchor)')")
        }
        if bootstrap < 0 { throw ValidationError("--bootstrap must be ≥ 0") }
        do { try options.validate() } catch { throw ValidationError("\(error)") }
    }

    var options: RatingOptions {
        var o = RatingOptions()
        o.ties = ties
        o.control = control
        o.strongWinWeight = strongWeight
        o.prior = prior
        o.anchor = anchor.flatMap(RatingOptions.Anchor.init(parsing:))
        o.bootstrapRounds = bootstrap
        o.seed = seed
        return o
    }

    func run() async throws {
        let source = ComparisonSource(battles: battles, store: store, suite: suite, judge: judgeChoice.selection,
                                      needsLengths: control == .length)
        if listJudges {
            FileHandle.standardOutput.write(Data(try JudgeListing(source: source).render().utf8))
            return
        }
        let loaded = try source.load()
        if let judge = loaded.judge { Diagnostics.note("judge rank: rating \(judge.description)") }
        let all = loaded.comparisons
        let ranker = Ranker(options: options)
        let output: String
        if let task {
            let board = try ranker.leaderboard(all.filter { $0.task == task }, task: task)
            output = render([board], single: true)
        } else if perTask {
            let overall = try ranker.leaderboard(all)
            let tasks = try ranker.leaderboardsPerTask(all)
            if tasks.isEmpty { FileHandle.standardError.write(Data("judge rank: no comparison has a task; showing the overall ratings\n".utf8)) }
            output = render([overall] + tasks, single: false)
        } else {
            output = render([try ranker.leaderboard(all)], single: true)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// `single`: one leaderboard (JSON: a list of rows). Otherwise JSON is
    /// `{"overall": [rows], "tasks": {"T": [rows]}}` and CSV gets a task column.
    func render(_ boards: [Leaderboard], single: Bool) -> String {
        switch format {
        case .table: return boards.map { $0.table() }.joined(separator: "\n")
        case .markdown: return boards.map { $0.markdown() }.joined(separator: "\n")
        case .csv:
            if single { return boards[0].csv() }
            return boards.enumerated().map { k, b in b.csv(includeTask: true, header: k == 0) }.joined()
        case .json:
            if single { return boards[0].rows.orderedJSON() + "\n" }
            let tasks = boards.dropFirst().map { b in
                "    " + String(decoding: try! JSONEncoder().encode(b.task ?? ""), as: UTF8.self) + ": "
                    + b.rows.orderedJSON(indent: "    ")
            }
            return "{\n  \"overall\": " + boards[0].rows.orderedJSON(indent: "  ") + ",\n  \"tasks\": {\n"
                + tasks.joined(separator: ",\n") + "\n  }\n}\n"
        }
    }
}

extension RatingOptions.Control: ExpressibleByArgument {}
extension RatingOptions.TieModel: ExpressibleByArgument {}
