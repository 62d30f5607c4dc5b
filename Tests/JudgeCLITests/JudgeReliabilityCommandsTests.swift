import Foundation
import Store
import XCTest

/// The judge's reliability acted on by the built binary: said first (stderr, report.md's first line, the
/// HTML header, ratings.json), `--strict` exits 4, the held-out check answers "inconclusive" (exit 5) for
/// an unreliable judge; and `judge agreement` against human labels and another configuration.
///
/// The store holds two configurations over the same pairs: `smollm2` (the suite's judge), which prefers
/// the model whose name sorts first in both orders, and `tiny`, which says "the first answer" to every
/// pair — the demo's SmolLM2 judge.
final class JudgeReliabilityCommandsTests: XCTestCase {
    private var directory: URL!
    private var db: String { directory.appendingPathComponent("judge.sqlite").path }
    private var suite: String { directory.appendingPathComponent("suite.yaml").path }
    private var judge: JudgeBinary!

    static let models = ["ant", "bee", "cat"]
    static let reading = JudgeConfiguration(judgeModel: "smollm2", templateID: "pairwise-logprobs", templateVersion: "logprobs-v1",
                                            temperature: 0, maxTokens: 1)
    static let positional = JudgeConfiguration(judgeModel: "tiny", templateID: "pairwise-logprobs", templateVersion: "logprobs-v1",
                                               temperature: 0, maxTokens: 1)

    override func setUpWithError() throws {
        judge = try JudgeBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try writeSuite()
        try fill(try JudgeStore(path: db))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try judge.run(arguments, in: directory)
    }

    // MARK: - Said first, and --strict

    func testAnUnreliableJudgeIsSaidFirstEverywhereAndStrictExits4() throws {
        let out = directory.appendingPathComponent("tiny-report")
        let report = try run(["report", suite, "--db", db, "--judge", "tiny", "--out", out.path, "--bootstrap", "50"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stderr.contains("warning: judge report: The judge is unreliable — its verdicts follow the answers' positions"),
                      report.stderr)
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("> ⚠️ **The judge is unreliable"), String(md.prefix(200)))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        let header = try XCTUnwrap(html.range(of: "</header>")).lowerBound
        XCTAssertLessThan(try XCTUnwrap(html.range(of: "role=\"alert\">The judge is unreliable")).lowerBound, header)

        let ratings = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("ratings.json"))) as? [String: Any])
        let reliability = try XCTUnwrap(ratings["judge_reliability"] as? [String: Any])
        XCTAssertEqual(reliability["status"] as? String, "unreliable")
        XCTAssertEqual((reliability["first_position"] as? [String: Any])?["value"] as? Double, 1)
        XCTAssertEqual((reliability["position_consistency"] as? [String: Any])?["successes"] as? Int, 0)
        XCTAssertTrue((ratings["judge_build"] as? String)?.hasPrefix("judge ") == true, "\(ratings["judge_build"] ?? "nil")")

        let strict = try run(["report", suite, "--db", db, "--judge", "tiny", "--out", out.path, "--bootstrap", "50", "--strict"])
        XCTAssertEqual(strict.status, 4, strict.stderr)

        let board = directory.appendingPathComponent("board")
        let leaderboard = try run(["leaderboard", "--db", db, "--judge", "tiny", "--out", board.path, "--bootstrap", "50", "--strict"])
        XCTAssertEqual(leaderboard.status, 4, leaderboard.stderr)
        XCTAssertTrue(leaderboard.stderr.contains("warning: judge leaderboard: "), leaderboard.stderr)
        XCTAssertTrue(try String(contentsOf: board.appendingPathComponent("report.html"), encoding: .utf8)
            .contains("role=\"alert\">The judge is unreliable"))
    }

    func testAReliableJudgeRaisesNoAlarmAndItsHeldOutCheckCanGeneralize() throws {
        let out = directory.appendingPathComponent("report")
        let report = try run(["report", suite, "--db", db, "--out", out.path, "--bootstrap", "50", "--strict"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertFalse(report.stderr.contains("unreliable"), report.stderr)
        let ratings = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("ratings.json"))) as? [String: Any])
        XCTAssertEqual((ratings["judge_reliability"] as? [String: Any])?["status"] as? String, "reliable")

        let overfit = try run(["overfit", suite, "--db", db, "--bootstrap", "50"])
        XCTAssertEqual(overfit.status, 0, overfit.stdout + overfit.stderr)
        XCTAssertTrue(overfit.stdout.contains("judge reliability: reliable: "), overfit.stdout)
        XCTAssertTrue(overfit.stdout.contains("verdict: generalizes: ant leads the development tasks"), overfit.stdout)
    }

    func testTheHeldOutCheckOfAnUnreliableJudgeIsInconclusive() throws {
        let overfit = try run(["overfit", suite, "--db", db, "--judge", "tiny", "--bootstrap", "50"])
        XCTAssertEqual(overfit.status, 5, overfit.stdout + overfit.stderr)
        XCTAssertTrue(overfit.stdout.contains("verdict: inconclusive: the judge is unreliable, so neither ranking is evidence"), overfit.stdout)
        let quiet = try run(["overfit", suite, "--db", db, "--judge", "tiny", "--bootstrap", "50", "--no-overfit-status"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
    }

    // MARK: - judge agreement

    func testAgreementWithHumanLabelsAndBetweenJudges() throws {
        // Five votes: four agree with the reading judge (the first name wins), one says tie; one vote names a pair order
        // the other way round, and one is on the held-out task.
        let labels = """
            {"question_id": "d0", "model_a": "ant", "model_b": "bee", "winner": "model_a", "judge": "expert_0"}
            {"question_id": "d0", "model_a": "cat", "model_b": "ant", "winner": "model_b", "judge": "expert_0"}\r
            {"question_id": "d1", "model_a": "bee", "model_b": "cat", "winner": "model_a", "judge": "expert_1"}
            {"question_id": "d2", "model_a": "ant", "model_b": "cat", "winner": "tie", "judge": "expert_1"}
            {"question_id": "h3", "model_a": "ant", "model_b": "bee", "winner": "model_a", "judge": "expert_0"}

            """
        try labels.write(to: directory.appendingPathComponent("labels.jsonl"), atomically: true, encoding: .utf8)
        let human = try run(["agreement", suite, "--db", db, "--labels", "labels.jsonl", "--bootstrap", "50", "--format", "json"])
        XCTAssertEqual(human.status, 0, human.stderr)
        let output = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(human.stdout.utf8)) as? [String: Any], human.stdout)
        let agreement = try XCTUnwrap(output["agreement"] as? [String: Any])
        XCTAssertEqual(agreement["matched_keys"] as? Int, 5)
        XCTAssertEqual((agreement["with_ties"] as? [String: Any])?["agreements"] as? Int, 4)
        XCTAssertEqual((agreement["with_ties"] as? [String: Any])?["total"] as? Int, 5)
        XCTAssertEqual((agreement["without_ties"] as? [String: Any])?["value"] as? Double, 1)
        XCTAssertEqual(agreement["confusion"] as? [[Int]], [[4, 1, 0], [0, 0, 0], [0, 0, 0]])

        // The positional judge against the reading one: in the A-first order it picks A, so after the two-order
        // rule (logprobs averaged) it agrees on some pairs and not others — the text says which raters met.
        let judges = try run(["agreement", suite, "--db", db, "--judge", "tiny", "--against", "smollm2", "--bootstrap", "50"])
        XCTAssertEqual(judges.status, 0, judges.stderr)
        XCTAssertTrue(judges.stdout.hasPrefix("agreement of tiny, template pairwise-logprobs"), judges.stdout)
        XCTAssertTrue(judges.stdout.contains(" with smollm2, template pairwise-logprobs"), judges.stdout)
        XCTAssertTrue(judges.stdout.contains("Cohen's kappa"), judges.stdout)

        // A label naming a model the suite does not have: file, line and field.
        try (labels + #"{"question_id": "d1", "model_a": "ant", "model_b": "gpt-5", "winner": "tie"}"# + "\n")
            .write(to: directory.appendingPathComponent("labels.jsonl"), atomically: true, encoding: .utf8)
        let bad = try run(["agreement", suite, "--db", db, "--labels", "labels.jsonl"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("labels.jsonl:6: model_b: unknown model \"gpt-5\""), bad.stderr)

        // Without labels or --against: say how to give them.
        let none = try run(["agreement", suite, "--db", db])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("no human labels"), none.stderr)
    }

    // MARK: - The fixture

    private func writeSuite() throws {
        func items(_ ids: [String]) -> String { ids.map { #"{"id": "\#($0)", "prompt": "Question \#($0)?"}"# }.joined(separator: "\n") + "\n" }
        try items((0..<10).map { "d\($0)" }).write(to: directory.appendingPathComponent("dev.jsonl"), atomically: true, encoding: .utf8)
        try items((0..<10).map { "h\($0)" }).write(to: directory.appendingPathComponent("held.jsonl"), atomically: true, encoding: .utf8)
        try """
            name: trust
            tasks:
              - name: dev
                items: dev.jsonl
              - name: held
                items: held.jsonl
                held_out: true
            models:
              - name: ant
              - name: bee
              - name: cat
            judge:
              model: smollm2
              verdict: logprobs
              temperature: 0

            """.write(to: URL(fileURLWithPath: suite), atomically: true, encoding: .utf8)
    }

    /// Both configurations judge every pair on every item in both orders. `smollm2` gives the model whose name
    /// sorts first P = 0.8 (shown first) or 0.3 for the first answer (shown second), varied a little by item;
    /// `tiny` gives the first answer 0.8 whatever it reads.
    private func fill(_ store: JudgeStore) throws {
        let dev = (0..<10).map { SuiteDefinition.Item(id: "d\($0)", prompt: "Question d\($0)?") }
        let held = (0..<10).map { SuiteDefinition.Item(id: "h\($0)", prompt: "Question h\($0)?") }
        let ids = try store.saveSuite(SuiteDefinition(name: "trust", tasks: [.init(name: "dev", heldOut: false, items: dev),
                                                                              .init(name: "held", heldOut: true, items: held)],
                                                      models: Self.models.map { .init(name: $0) }))
        let all = [("dev", dev), ("held", held)].flatMap { task, items in items.map { (task, $0) } }
        _ = try store.importCandidates(all.flatMap { task, item in
            Self.models.map { CandidateImport(model: $0, itemID: ids.items[task]![item.id]!, output: "\($0) on \(item.id), " + String(repeating: "x", count: $0.count * 3)) }
        })
        let current = try store.currentCandidates(suite: "trust", models: Self.models)
        var judgments: [JudgmentRecord] = []
        for (n, (task, item)) in all.enumerated() {
            let itemID = ids.items[task]![item.id]!
            for (a, b) in [(0, 1), (0, 2), (1, 2)] {
                let ca = current.first { $0.model == Self.models[a] && $0.itemID == itemID }!
                let cb = current.first { $0.model == Self.models[b] && $0.itemID == itemID }!
                for configuration in [Self.reading, Self.positional] {
                    for position in [JudgmentRecord.Position.ab, .ba] {
                        var r = JudgmentRecord(
                            key: "\(configuration.judgeModel)/\(item.id)/\(a)\(b)/\(position.rawValue)", itemID: itemID,
                            modelAID: ca.modelID, modelBID: cb.modelID, candidateAID: ca.candidateID, candidateBID: cb.candidateID,
                            position: position, ordersPlanned: 2, templateID: "", templateVersion: "", judgeModel: "", method: .judge,
                            createdAt: Date(timeIntervalSince1970: 1_796_000_000))
                        r.configuration = configuration
                        let wobble = Double(n % 5) / 100
                        let p = configuration == Self.positional ? 0.8 - wobble : (position == .ab ? 0.8 : 0.3) - wobble
                        r.verdictProbabilities = VerdictProbabilities(a: p, b: 1 - p, tie: 0, mass: 1, topCount: 20)
                        r.verdict = r.verdictProbabilities!.verdict
                        r.rawReply = r.verdict!.rawValue
                        judgments.append(r)
                    }
                }
            }
        }
        try store.saveVerdicts(judgments)
    }
}
