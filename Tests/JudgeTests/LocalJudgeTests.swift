import ChatCompletions
import Comparisons
import Candidates
import Foundation
import HTTP
@testable import Judge
import Server
import Store
import Suite
import XCTest

/// The local judge for real: `judge serve`'s ChatServer over SmolLM2-135M-Instruct on a loopback port,
/// judged through the libcurl ChatCompletionsClient in the logprob verdict mode, on clear-cut pairs
/// (a correct answer against a wrong or an empty one).
///
/// The probabilities are exact (no sampling is involved in them), so the figures are deterministic for
/// one engine build. What a 135M judge can do is very limited (see the figures below): the assertions check
/// the mechanics end to end and that position bias cannot decide a pair wrongly; the figures are printed.
final class LocalJudgeTests: XCTestCase {
    /// Clear-cut items: the right answer, and a wrong one (another item's answer) or nothing.
    static let items: [(id: String, prompt: String, right: String, wrong: String)] = [
        ("capital", "What is the capital of France?", "The capital of France is Paris.", "The capital of France is Berlin."),
        ("sum", "What is 2 + 3? Answer with a number.", "5", "9"),
        ("sentiment", "Is the review positive or negative? Review: I loved this phone, the battery lasts for days.",
         "positive", "negative"),
        ("ticket", "Classify the support ticket as billing, technical, account or shipping. Ticket: I was charged twice for my subscription.",
         "billing", "shipping"),
        ("names", "List the people named in the text. Text: Priya Raman met Tomasz Nowicki in Lisbon.",
         "Priya Raman, Tomasz Nowicki", ""),
        ("colour", "What colour is a clear daytime sky?", "Blue.", ""),
    ]

    func testSmolLM2JudgesClearCutPairsFromItsProbabilities() async throws {
        let engine = try LocalEngine(modelURL: LocalJudgeModel.url(), contextLength: 1024)
        let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, parallel: 2))
        let port = try await server.start()
        let client = ChatCompletionsClient(
            baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, apiKeyEnvironmentVariable: nil,
            http: HTTPClient(configuration: .init(maxConcurrentTransfers: 2)), retry: .none)

        let suite = Suite(
            name: "local-judge", file: URL(fileURLWithPath: "/tmp/local-judge/suite.yaml"),
            tasks: [SuiteTask(name: "clear-cut", itemsFile: URL(fileURLWithPath: "/tmp/local-judge/items.jsonl"),
                              items: Self.items.map { SuiteItem(id: $0.id, prompt: $0.prompt) })],
            models: [ModelSpec(name: "right"), ModelSpec(name: "wrong")],
            judge: JudgeSpec(template: "pairwise-logprobs", verdict: .logprobs))
        let store = try JudgeStore.inMemory()
        let ids = try store.saveSuite(suite.storeDefinition)
        let taskIDs = ids.items["clear-cut"]!
        _ = try store.importCandidates(Self.items.flatMap { item in [
            CandidateImport(model: "right", itemID: taskIDs[item.id]!, output: item.right),
            CandidateImport(model: "wrong", itemID: taskIDs[item.id]!, output: item.wrong),
        ] })
        let template = try suite.judge.loadTemplate()
        XCTAssertEqual(template, .pairwiseLogprobs)
        let plan = try ComparisonPlan(suite: suite, ids: ids, candidates: try store.currentCandidates(suite: suite.name, models: ["right", "wrong"]),
                                      settings: .init(template: template, judgeModel: engine.modelID))
        XCTAssertEqual(plan.entries.count, 2 * Self.items.count)
        let run = JudgingRun(store: store, client: client, options: .init(judgeModel: engine.modelID, concurrency: 2))
        let summary = try await run.run(plan)
        await server.shutdown(gracePeriod: .seconds(30))

        XCTAssertNil(summary.stopReason, "\(summary)")
        XCTAssertEqual(summary.sent, 2 * Self.items.count)
        XCTAssertEqual(summary.failed, 0, "\(summary)")
        XCTAssertEqual(summary.completionTokens, summary.sent, "one token a call")

        // Every stored judgment is either a verdict with well-formed probabilities or unparsed with a reason.
        let judgments = try store.judgments(suite: suite.name)
        XCTAssertEqual(judgments.count, 2 * Self.items.count)
        var lines: [String] = []
        for judgment in judgments {
            if judgment.unparsed {
                XCTAssertNotNil(judgment.unparsedReason)
                lines.append("\(judgment.position.rawValue) unparsed: \(judgment.unparsedReason ?? "")")
                continue
            }
            let p = try XCTUnwrap(judgment.verdictProbabilities)
            XCTAssertTrue(p.isWellFormed, "\(p)")
            XCTAssertEqual(p.topCount, 20)
            XCTAssertEqual(judgment.verdict, p.verdict)
            lines.append(String(format: "%@ P(A)=%.3f P(B)=%.3f P(tie)=%.3f mass=%.3f → %@", judgment.position.rawValue,
                                p.a, p.b, p.tie, p.mass, judgment.verdict!.rawValue))
        }
        XCTAssertGreaterThanOrEqual(summary.parsed, 2 * Self.items.count - 2, "SmolLM2 puts A/B/tie among its top 20 on nearly every prompt:\n" + lines.joined(separator: "\n"))

        // How good is it? Per order (raw verdicts), per pair (orders combined), and by the preference
        // averaged over both orders, which cancels a constant position bias.
        let right = ids.models["right"]!
        var orderCorrect = 0, firstPosition = 0, decisive = 0, pairsRight = 0, pairsWrong = 0, preferenceRight = 0
        for item in Self.items {
            let pair = judgments.filter { $0.itemID == taskIDs[item.id]! && $0.verdict != nil }
            for judgment in pair {
                let rightWasModelA = judgment.modelAID == right
                let canonical = judgment.canonicalVerdict!
                if canonical.direction != 0 {
                    decisive += 1
                    if judgment.verdict!.direction == 1 { firstPosition += 1 }
                    if (canonical.direction == 1) == rightWasModelA { orderCorrect += 1 }
                }
            }
            guard pair.count == 2 else { continue }
            let combined = Verdict.combine(pair[0].canonicalVerdict!, pair[1].canonicalVerdict!).verdict
            let rightWasModelA = pair[0].modelAID == right
            if combined.direction != 0 { if (combined.direction == 1) == rightWasModelA { pairsRight += 1 } else { pairsWrong += 1 } }
            let meanA = pair.map { $0.canonicalPreference! }.reduce(0, +) / 2
            if (meanA > 0.5) == rightWasModelA { preferenceRight += 1 }
        }
        let report = """
            SmolLM2-135M as a logprob judge on \(Self.items.count) clear-cut pairs (\(summary.sent) calls, \(summary.parsed) verdicts):
            per order: \(orderCorrect) of \(decisive) decisive verdicts pick the right answer; the first answer wins \(firstPosition) of \(decisive)
            per pair (orders combined): \(pairsRight) right, \(pairsWrong) wrong, \(Self.items.count - pairsRight - pairsWrong) ties or unresolved
            preference averaged over both orders favours the right answer on \(preferenceRight) of \(Self.items.count) pairs
            """ + "\n" + lines.joined(separator: "\n")
        print(report)
        // Measured (2026-11-26, this engine and llama.cpp alike): the first answer wins 12 of 12 orders with
        // P(A) 0.75–0.94, so both orders disagree and every pair is a tie; the preference averaged over
        // both orders leans to the right answer on 4 of 6 pairs, by about 1%. A 135M judge cannot tell
        // these answers apart; what must hold is that judging both orders keeps its bias from deciding a
        // pair for the wrong answer. (The averaged preference is printed, not asserted: its margins are
        // smaller than what a change of kernels may move.)
        XCTAssertEqual(pairsWrong, 0, "no clear-cut pair is decided for the wrong answer:\n" + report)
    }
}
