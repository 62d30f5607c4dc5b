import Foundation
import XCTest
import Rank
import Store
@testable import Report

/// Issue #14's pooling bug: a suite judged twice over the same pairs — first by a text judge whose
/// replies are all unparsed, then by a logprob judge of the same model name — must be rated on one
/// judge's comparisons only. Both runs record the same identical-output ties; pooled, those count twice.
final class JudgePoolingTests: XCTestCase {
    private var dir: URL!
    private var path: String { dir.appendingPathComponent("judge.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-pooling-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testTwoJudgesOverTheSamePairsNeverMixInTheReport() throws {
        let store = try JudgeStore(path: path)
        try TwoJudgeStore.fill(store)
        var options = RatingOptions()
        options.bootstrapRounds = 20
        let data = try ReportBuilder(store: store, options: options, sampleLimit: 0)
            .build(suites: ["pool"], title: "pool", asOf: "2026-12-06")
        // The logprob judge alone: 4 items × 3 pairs = 12 comparisons, 8 per model (3 of them
        // identical-output ties, counted once); the text judge resolved only its 3 ties.
        XCTAssertEqual(data.leaderboard.map(\.comparisons), [8, 8, 8], "one judge's comparisons, not both judges' pooled")
        XCTAssertEqual(data.leaderboard.first?.model, "ant", "the logprob judge prefers ant")
        let health = try XCTUnwrap(data.health)
        XCTAssertEqual(health.unparsed, 0, "the text judge's unparsed replies are not this judge's health")
    }
}

/// A store where two judge configurations judged the same pairs: `smollm2` with the text template
/// `pairwise v1` (every reply unparsed) and `smollm2` with `pairwise-logprobs logprobs-v1` (ant > bee > cat).
/// On item i0, ant and bee gave identical outputs: each configuration stores its own tie.
enum TwoJudgeStore {
    static let models = ["ant", "bee", "cat"]

    static func fill(_ store: JudgeStore) throws {
        let items = (0..<4).map { SuiteDefinition.Item(id: "i\($0)", prompt: "Question \($0)?") }
        let ids = try store.saveSuite(SuiteDefinition(
            name: "pool", tasks: [.init(name: "dev", heldOut: false, items: items)],
            models: models.map { .init(name: $0) }))
        var imports: [CandidateImport] = []
        for item in items {
            let itemID = ids.items["dev"]![item.id]!
            for m in models {
                let output = item.id == "i0" && m != "cat" ? "the same answer" : "\(m) on \(item.id)"
                imports.append(CandidateImport(model: m, itemID: itemID, output: output))
            }
        }
        _ = try store.importCandidates(imports)
        let current = try store.currentCandidates(suite: "pool", models: models)
        var judgments: [JudgmentRecord] = []
        for item in items {
            let itemID = ids.items["dev"]![item.id]!
            for (a, b) in [(0, 1), (0, 2), (1, 2)] {
                let ca = current.first { $0.model == models[a] && $0.itemID == itemID }!
                let cb = current.first { $0.model == models[b] && $0.itemID == itemID }!
                for (template, version) in [("pairwise", "v1"), ("pairwise-logprobs", "logprobs-v1")] {
                    func record(_ position: JudgmentRecord.Position, _ method: JudgmentRecord.Method) -> JudgmentRecord {
                        JudgmentRecord(
                            key: "\(template)/\(item.id)/\(a)\(b)/\(position.rawValue)", itemID: itemID,
                            modelAID: ca.modelID, modelBID: cb.modelID, candidateAID: ca.candidateID,
                            candidateBID: cb.candidateID, position: position, ordersPlanned: method == .identical ? 1 : 2,
                            templateID: template, templateVersion: version, judgeModel: "smollm2", method: method,
                            createdAt: Date(timeIntervalSince1970: 1_796_000_000))
                    }
                    if ca.output == cb.output {
                        var tie = record(.ab, .identical)
                        tie.verdict = .tie
                        judgments.append(tie)
                        continue
                    }
                    for position in [JudgmentRecord.Position.ab, .ba] {
                        var r = record(position, .judge)
                        if template == "pairwise" {
                            r.rawReply = "I cannot tell."
                            r.unparsed = true
                        } else {
                            // Model A (the better, by name order) is preferred: P(first better) 0.8 when shown first.
                            let p = position == .ab ? 0.8 : 0.3
                            r.verdictProbabilities = VerdictProbabilities(a: p, b: 1 - p, tie: 0, mass: 1, topCount: 20)
                            r.verdict = r.verdictProbabilities!.verdict
                            r.rawReply = r.verdict!.rawValue
                        }
                        judgments.append(r)
                    }
                }
            }
        }
        try store.saveVerdicts(judgments)
    }
}
