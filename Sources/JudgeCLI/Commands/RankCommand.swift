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
    @OptionGroup var rating: RatingArguments
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
        try rating.check()
    }

    func run() async throws {
        let source = ComparisonSource(battles: battles, store: store, suite: suite, judge: judgeChoice.selection,
                                      needsLengths: rating.control == .length)
        if listJudges {
            FileHandle.standardOutput.write(Data(try JudgeListing(source: source).render().utf8))
            return
        }
        let loaded = try source.load()
        if let judge = loaded.judge { Diagnostics.note("judge rank: rating \(judge.description)") }
        let all = loaded.comparisons
        let ranker = Ranker(options: rating.options)
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
