import ChatCompletions
import Comparisons
import Candidates
import Foundation
@testable import Judge
import OpenAIWire
import Store
import Suite

/// A suite of two tasks (three items) and three models with imported outputs, in an in-memory store.
struct JudgeFixture {
    let suite: Suite
    let store: JudgeStore
    let ids: SuiteIDs

    static func suite(bothOrders: Bool = true, references: Bool = true) -> Suite {
        Suite(
            name: "demo",
            file: URL(fileURLWithPath: "/tmp/judge-fixture/suite.yaml"),
            tasks: [
                SuiteTask(name: "dev", itemsFile: URL(fileURLWithPath: "/tmp/dev.jsonl"), items: [
                    SuiteItem(id: "d1", prompt: "Capital of France?", reference: references ? "Paris" : nil),
                    SuiteItem(id: "d2", prompt: "2 + 2?", system: "Answer with a number.", reference: references ? "4" : nil),
                ]),
                SuiteTask(name: "held", itemsFile: URL(fileURLWithPath: "/tmp/held.jsonl"), heldOut: true, items: [
                    SuiteItem(id: "h1", prompt: "Sentiment of 'great!'?", reference: references ? "positive" : nil),
                ]),
            ],
            models: [ModelSpec(name: "alpha"), ModelSpec(name: "beta"), ModelSpec(name: "gamma")],
            judge: JudgeSpec(url: "http://127.0.0.1:1/v1", model: "judge-1", bothOrders: bothOrders)
        )
    }

    /// Default outputs: every model answers every item; alpha and gamma agree word for word on d2.
    static let outputs: [String: [String: String]] = [
        "alpha": ["dev/d1": "Paris.", "dev/d2": "4", "held/h1": "positive"],
        "beta": ["dev/d1": "It is Paris, the largest city of France.", "dev/d2": "four", "held/h1": "negative"],
        "gamma": ["dev/d1": "Lyon", "dev/d2": "4", "held/h1": "positive!"],
    ]

    init(suite: Suite = JudgeFixture.suite(), outputs: [String: [String: String]] = JudgeFixture.outputs,
         store: JudgeStore? = nil) throws {
        self.suite = suite
        self.store = try store ?? JudgeStore.inMemory()
        ids = try self.store.saveSuite(suite.storeDefinition)
        let imports = outputs.flatMap { model, byItem in
            byItem.map { key, output -> CandidateImport in
                let parts = key.split(separator: "/").map(String.init)
                return CandidateImport(model: model, itemID: ids.items[parts[0]]![parts[1]]!, output: output)
            }
        }
        _ = try self.store.importCandidates(imports)
    }

    func plan(template: JudgeTemplate = .pairwise, pairs: PairSelection = .all, judgeModel: String = "judge-1",
              temperature: Double = 0, maxTokens: Int = 512) throws -> ComparisonPlan {
        let candidates = try store.currentCandidates(suite: suite.name, models: suite.models.map(\.name))
        return try ComparisonPlan(suite: suite, ids: ids, candidates: candidates,
                                  settings: .init(template: template, judgeModel: judgeModel, temperature: temperature,
                                                  maxTokens: maxTokens, bothOrders: suite.judge.bothOrders, pairs: pairs))
    }

    /// The configuration of ``plan(template:pairs:judgeModel:temperature:maxTokens:)``'s judgments.
    func judge(template: JudgeTemplate = .pairwise, judgeModel: String = "judge-1", temperature: Double = 0,
               maxTokens: Int = 512) -> JudgeConfiguration {
        ComparisonPlan.Settings(template: template, judgeModel: judgeModel, temperature: temperature,
                                maxTokens: maxTokens).configuration
    }

    /// The resolved comparisons of one configuration (default: the plan's).
    func comparisons(_ judge: JudgeConfiguration? = nil) throws -> [ComparisonRecord] {
        try ComparisonReader(store: store).comparisons(suite: suite.name, judge: judge ?? self.judge())
    }

    /// The judge health of one configuration (default: the plan's).
    func health(_ judge: JudgeConfiguration? = nil) throws -> JudgeHealth {
        try ComparisonReader(store: store).health(suites: [suite.name], judge: judge ?? self.judge())
    }
}

/// A judge that answers from a closure and counts its calls; thread-safe.
final class ScriptedJudge: ChatCompleting, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [ChatCompletionRequest] = []
    private let answer: @Sendable (ChatCompletionRequest, Int) async throws -> ChatCompletion

    /// `answer` gets the request and its 0-based call number.
    init(_ answer: @escaping @Sendable (ChatCompletionRequest, Int) async throws -> ChatCompletion) {
        self.answer = answer
    }

    var requests: [ChatCompletionRequest] { lock.withLock { _requests } }

    func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion {
        let number = lock.withLock { _requests.append(request); return _requests.count - 1 }
        return try await answer(request, number)
    }

    /// Prefers the answer containing "Paris", "4" or "positive" — shown as A or B — else a tie.
    static func sensible(usage: ChatCompletion.Usage = .init(promptTokens: 1000, completionTokens: 100)) -> ScriptedJudge {
        ScriptedJudge { request, _ in
            ChatCompletion(content: "Comparing both answers… " + verdict(for: request), usage: usage, latency: .milliseconds(5))
        }
    }

    static func verdict(for request: ChatCompletionRequest) -> String {
        let user = request.messages.last!.content
        func answer(_ label: String, _ end: String) -> String {
            guard let start = user.range(of: "<|Assistant \(label)'s answer|>\n"), let stop = user.range(of: end) else { return "" }
            return String(user[start.upperBound..<stop.lowerBound])
        }
        let a = answer("A", "\n<|End of assistant A's answer|>")
        let b = answer("B", "\n<|End of assistant B's answer|>")
        func good(_ text: String) -> Bool { ["Paris.", "4", "positive"].contains(text) }
        switch (good(a), good(b)) {
        case (true, false): return "[[A]]"
        case (false, true): return "[[B]]"
        default: return "[[C]]"
        }
    }
}
