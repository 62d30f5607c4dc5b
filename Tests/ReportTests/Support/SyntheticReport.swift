import Comparisons
import Foundation
import Rank
@testable import Report

/// Realistic report data made up from known strengths, deterministic (a fixed-seed generator),
/// for renderer tests and for looking at the layout.
enum SyntheticReport {
    static let models = [
        "llama-3-8b-ft-v3", "llama-3-8b-ft-v2", "mistral-7b-sft", "gpt-4", "llama-3-8b-ft-v1",
        "smollm2-greedy", "smollm2-sampled-0.8", "smollm2-terse-system",
    ]
    static let strengths: [Double] = [1.15, 1.0, 0.9, 0.8, 0.55, -0.4, -0.6, -0.9]

    /// - Parameters:
    ///   - untrusted: text put into every output, reasoning, prompt and (when `hostileNames`) model name.
    static func make(untrusted: String = "", hostileNames: Bool = false, historyDays: Int = 0) -> ReportData {
        var rng = SplitMix(seed: 42)
        let names = models.map { hostileNames ? $0 + untrusted : $0 }
        let n = names.count
        func elo(_ s: Double) -> Double { 1000 + 400 * s / log(10) - 400 * strengths[3] / log(10) }
        var rows: [LeaderboardRow] = []
        var counts = Array(repeating: Array(repeating: 0, count: n), count: n)
        var rates = Array(repeating: Array(repeating: Double?.none, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where i < j {
                let games = 60 + Int(rng.next() % 40)
                let p = 1 / (1 + exp(strengths[j] - strengths[i]))
                var wins = 0.0
                for _ in 0..<games { wins += rng.uniform() < p ? 1 : 0 }
                counts[i][j] = games
                counts[j][i] = games
                rates[i][j] = wins / Double(games)
                rates[j][i] = 1 - wins / Double(games)
            }
        }
        for i in 0..<n {
            let comparisons = counts[i].reduce(0, +)
            let won = (0..<n).reduce(0.0) { $0 + (rates[i][$1] ?? 0) * Double(counts[i][$1]) }
            let ties = comparisons / 9
            let wins = max(0, Int(won) - ties / 2)
            let r = elo(strengths[i])
            let half = 18 + Double(rng.next() % 14)
            rows.append(LeaderboardRow(rank: i + 1, entry: RatingRow(
                model: names[i], rating: r, ciLow: r - half, ciHigh: r + half * 0.9,
                winRateVsAnchor: 1 / (1 + exp(strengths[3] - strengths[i])), comparisons: comparisons,
                wins: wins, losses: comparisons - wins - ties, ties: ties)))
        }
        let taskNames = ["extraction", "classification", "summarization", "structured-extraction"]
        var tasks: [TaskTable] = []
        for (t, task) in taskNames.enumerated() {
            let heldOut = t == 3
            var taskRows = rows.map { row -> LeaderboardRow in
                var r = row
                let shift = (rng.uniform() - 0.5) * 60 + (heldOut && row.rank == 1 ? -95 : 0)
                r.rating += shift
                r.ciLow += shift - 15
                r.ciHigh += shift + 15
                r.comparisons /= 4
                return r
            }
            taskRows.sort { $0.rating > $1.rating }
            for k in taskRows.indices { taskRows[k].rank = k + 1 }
            tasks.append(TaskTable(task: task + (hostileNames ? untrusted : ""), heldOut: heldOut, rows: taskRows))
        }
        let heldRows = tasks[3].rows
        let shifts = rows.map { row -> HeldOutShift in
            let h = heldRows.first { $0.model == row.model }!
            return HeldOutShift(model: row.model, developmentRank: row.rank, heldOutRank: h.rank,
                             developmentRating: row.rating, heldOutRating: h.rating,
                             outsideInterval: h.rating < row.ciLow || h.rating > row.ciHigh)
        }
        let top = shifts[0]
        let overfit = HeldOutSummary(
            generalizes: top.heldOutRank == 1,
            verdict: top.heldOutRank == 1 ? "generalizes" :
                "overfit suspected: \(top.model) drops from #1 to #\(top.heldOutRank) on held-out task \(tasks[3].task), outside its 95% interval",
            heldOutTasks: [tasks[3].task], kendallTau: 0.643, kendallTauCI: ReportInterval(low: 0.357, high: 0.857),
            spearmanRho: 0.786, spearmanRhoCI: ReportInterval(low: 0.5, high: 0.952), shifts: shifts)
        // Judge health as Comparisons counts it: 56.1% first-position wins, 18.7% order disagreements, 64.2%
        // longer-answer wins.
        var health = JudgeHealth()
        health.parsed = 2_184
        health.firstPositionWins = 561
        health.secondPositionWins = 439
        health.bothOrderComparisons = 1_000
        health.orderDisagreements = 187
        health.decisiveWithLengthDifference = 1_000
        health.longerAnswerWins = 642
        health.unparsed = 23
        health.failed = 4
        health.promptTokens = 1_912_330
        health.completionTokens = 402_118
        health.cost = 31.42
        var samples: [SampleComparison] = []
        let prompts = [
            "Extract the invoice number, date and total from: \"Invoice #A-1042, issued 3 March 2024, total due EUR 1,250.00\"",
            "Classify the sentiment of this review as positive, negative or neutral: \"The battery died after two days.\"",
            "Summarize in one sentence: The city council voted on Tuesday to extend the bike-lane network by 40 km over three years.",
        ]
        for k in 0..<6 {
            let a = k % n, b = (k * 3 + 1) % n
            samples.append(SampleComparison(
                task: tasks[k % 3].task, itemID: "item-\(String(format: "%03d", 7 + k * 5))",
                prompt: prompts[k % 3] + untrusted, modelA: names[a],
                outputA: "Invoice number: A-1042\nDate: 2024-03-03\nTotal: EUR 1,250.00" + untrusted,
                modelB: names[b], outputB: "The invoice A-1042 totals 1250 euros." + untrusted,
                verdict: ["A", "B", "tie", "A>>B", "unparsed", "B>A"][k],
                reasoning: "Assistant A lists all three fields in the requested form; Assistant B omits the date."
                    + untrusted + "\n\nFinal verdict: [[A]]"))
        }
        var history: [RatingSnapshot] = []
        for d in 0..<historyDays {
            let date = LeaderboardDate.fromUnixTime(1_763_596_800 + Double(d) * 86_400)  // from 2025-11-20
            history.append(RatingSnapshot(date: date, ratings: rows.map {
                let drift = Double(historyDays - 1 - d) * (Double($0.rank) - 4) * 3
                return SnapshotRating(model: $0.model, rating: $0.rating + drift, ciLow: $0.ciLow + drift,
                                      ciHigh: $0.ciHigh + drift, comparisons: $0.comparisons)
            }))
        }
        return ReportData(
            title: "demo" + (hostileNames ? untrusted : ""), asOf: "2025-11-25",
            judgeDescription: "gpt-4 · pairwise v2" + (hostileNames ? untrusted : ""), anchor: names[3],
            leaderboard: rows, tasks: tasks,
            winRates: WinRateMatrix(models: names, rates: rates, counts: counts),
            overfit: overfit, health: health, samples: samples, history: history,
            notes: hostileNames ? ["note" + untrusted] : [])
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for reproducible test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
