import Foundation
import Store

/// A store with one suite (two tasks, three items), three models with outputs, and helpers to add judgments.
public struct StoreFixture {
    public let store: JudgeStore
    public let ids: SuiteIDs
    /// Model name → item key (`task/id`) → current candidate id.
    public var candidates: [String: [String: Int64]] = [:]

    public static let definition = SuiteDefinition(
        name: "demo",
        file: "/tmp/demo/suite.yaml",
        tasks: [
            .init(name: "dev", heldOut: false, items: [
                .init(id: "d1", prompt: "Say hi."), .init(id: "d2", prompt: "Say bye.", reference: "bye"),
            ]),
            .init(name: "held", heldOut: true, items: [.init(id: "h1", prompt: "Classify: great!")]),
        ],
        models: [.init(name: "alpha"), .init(name: "beta"), .init(name: "gamma")]
    )

    public init(store: JudgeStore? = nil) throws {
        self.store = try store ?? JudgeStore.inMemory()
        ids = try self.store.saveSuite(Self.definition)
    }

    public func itemID(_ key: String) -> Int64 {
        let parts = key.split(separator: "/").map(String.init)
        return ids.items[parts[0]]![parts[1]]!
    }

    /// Imports `outputs[model][task/id]`.
    public mutating func importOutputs(_ outputs: [String: [String: String]]) throws {
        let imports = outputs.flatMap { model, byItem in
            byItem.map { CandidateImport(model: model, itemID: itemID($0.key), output: $0.value) }
        }
        _ = try store.importCandidates(imports)
        for candidate in try store.currentCandidates(suite: "demo", models: ["alpha", "beta", "gamma"]) {
            let key = ids.items.flatMap { task, items in items.filter { $0.value == candidate.itemID }.map { "\(task)/\($0.key)" } }.first!
            candidates[candidate.model, default: [:]][key] = candidate.candidateID
        }
    }

    /// The configuration of ``judgment(_:_:_:_:verdict:planned:unparsed:error:judge:tokens:cost:)``'s rows.
    public static func configuration(_ judge: String = "judge-1") -> JudgeConfiguration {
        JudgeConfiguration(judgeModel: judge, templateID: "pairwise", templateVersion: "v1", temperature: 0, maxTokens: 1024)
    }

    /// A judgment of `a` vs `b` (canonical order) on `item`, shown in `position`, with a presented verdict.
    public func judgment(_ item: String, _ a: String, _ b: String, _ position: JudgmentRecord.Position,
                  verdict: Verdict?, planned: Int = 2, unparsed: Bool = false, error: String? = nil,
                  judge: String = "judge-1", tokens: (Int, Int) = (100, 20), cost: Double = 0.001) -> JudgmentRecord {
        JudgmentRecord(
            key: ContentKey.make([item, a, b, position.rawValue, judge]),
            itemID: itemID(item), modelAID: ids.models[a]!, modelBID: ids.models[b]!,
            candidateAID: candidates[a]![item]!, candidateBID: candidates[b]![item]!,
            position: position, ordersPlanned: planned, templateID: "pairwise", templateVersion: "v1",
            judgeModel: judge, judgeTemperature: 0, judgeMaxTokens: 1024, rawReply: verdict.map { "reasoning… [[\($0.rawValue)]]" } ?? (unparsed ? "no idea" : nil),
            verdict: verdict, unparsed: unparsed, latency: 0.5, promptTokens: tokens.0, completionTokens: tokens.1,
            cost: cost, error: error)
    }
}
