import Foundation
import Store

/// A store where two judge configurations judged the same pairs, as in issue #14's pooling bug:
/// `smollm2` with the text template `pairwise v1` (every reply unparsed) and `smollm2` with
/// `pairwise-logprobs logprobs-v1` (ant > bee > cat), both at temperature 0. On item `i0`, ant and bee
/// gave identical outputs: each configuration stores its own tie.
///
/// Suite `pool`: task `dev` with items i0…i3 and, with `heldOutItems`, task `held` (held out) with h0….
public enum TwoJudgeStore {
    public static let models = ["ant", "bee", "cat"]
    public static let text = JudgeConfiguration(judgeModel: "smollm2", templateID: "pairwise", templateVersion: "v1",
                                                temperature: 0, maxTokens: 1024)
    public static let logprobs = JudgeConfiguration(judgeModel: "smollm2", templateID: "pairwise-logprobs",
                                                    templateVersion: "logprobs-v1", temperature: 0, maxTokens: 1)

    /// The suite file (YAML) and items files that describe the same suite, with the logprob judge as the
    /// suite's current judge, written into `directory`; returns the suite file.
    public static func writeSuite(in directory: URL, heldOutItems: Int = 0) throws -> URL {
        func items(_ ids: [String]) -> String {
            ids.map { #"{"id": "\#($0)", "prompt": "Question \#($0)?"}"# }.joined(separator: "\n") + "\n"
        }
        try items((0..<4).map { "i\($0)" }).write(to: directory.appendingPathComponent("dev.jsonl"), atomically: true, encoding: .utf8)
        var yaml = """
            name: pool
            tasks:
              - name: dev
                items: dev.jsonl

            """
        if heldOutItems > 0 {
            try items((0..<heldOutItems).map { "h\($0)" }).write(to: directory.appendingPathComponent("held.jsonl"),
                                                                  atomically: true, encoding: .utf8)
            yaml += """
                  - name: held
                    items: held.jsonl
                    held_out: true

                """
        }
        yaml += """
            models:
              - name: ant
              - name: bee
              - name: cat
            judge:
              model: smollm2
              verdict: logprobs
              temperature: 0

            """
        let file = directory.appendingPathComponent("suite.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Fills `store` with the suite, the outputs and both configurations' judgments.
    public static func fill(_ store: JudgeStore, heldOutItems: Int = 0) throws {
        let dev = (0..<4).map { SuiteDefinition.Item(id: "i\($0)", prompt: "Question i\($0)?") }
        let held = (0..<heldOutItems).map { SuiteDefinition.Item(id: "h\($0)", prompt: "Question h\($0)?") }
        var tasks: [SuiteDefinition.Task] = [.init(name: "dev", heldOut: false, items: dev)]
        if !held.isEmpty { tasks.append(.init(name: "held", heldOut: true, items: held)) }
        let ids = try store.saveSuite(SuiteDefinition(name: "pool", tasks: tasks, models: models.map { .init(name: $0) }))
        let all = [("dev", dev), ("held", held)].flatMap { task, items in items.map { (task, $0) } }
        var imports: [CandidateImport] = []
        for (task, item) in all {
            let itemID = ids.items[task]![item.id]!
            for m in models {
                let output = item.id == "i0" && m != "cat" ? "the same answer" : "\(m) on \(item.id)"
                imports.append(CandidateImport(model: m, itemID: itemID, output: output))
            }
        }
        _ = try store.importCandidates(imports)
        let current = try store.currentCandidates(suite: "pool", models: models)
        var judgments: [JudgmentRecord] = []
        for (task, item) in all {
            let itemID = ids.items[task]![item.id]!
            for (a, b) in [(0, 1), (0, 2), (1, 2)] {
                let ca = current.first { $0.model == models[a] && $0.itemID == itemID }!
                let cb = current.first { $0.model == models[b] && $0.itemID == itemID }!
                for judge in [text, logprobs] {
                    func record(_ position: JudgmentRecord.Position, _ method: JudgmentRecord.Method) -> JudgmentRecord {
                        var r = JudgmentRecord(
                            key: "\(judge.templateID)/\(item.id)/\(a)\(b)/\(position.rawValue)", itemID: itemID,
                            modelAID: ca.modelID, modelBID: cb.modelID, candidateAID: ca.candidateID,
                            candidateBID: cb.candidateID, position: position, ordersPlanned: method == .identical ? 1 : 2,
                            templateID: "", templateVersion: "", judgeModel: "", method: method,
                            createdAt: Date(timeIntervalSince1970: 1_796_000_000))
                        r.configuration = judge
                        return r
                    }
                    if ca.output == cb.output {
                        var tie = record(.ab, .identical)
                        tie.verdict = .tie
                        judgments.append(tie)
                        continue
                    }
                    for position in [JudgmentRecord.Position.ab, .ba] {
                        var r = record(position, .judge)
                        if judge == text {
                            r.rawReply = "I cannot tell."
                            r.unparsed = true
                        } else {
                            // Model A (the better: names sort by strength) is preferred whichever order it is shown in.
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
