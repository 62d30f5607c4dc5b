import Foundation
import GRDB
import TestSupport
import XCTest

// MARK: - CompareFixture: a suite whose models and judge are one loopback server

/// A temporary directory with a suite whose candidate models are remote endpoints and whose judge is an
/// OpenAI-compatible URL — all served by one ``LoopbackChatServer`` that answers deterministically from the
/// request's content, so every run of `judge compare` against it produces the same store.
///
/// Candidate requests (model `alpha`, `beta`, …) get `«MODEL» …` followed by a digest of the prompt; judge
/// requests (model `judge-1`) get a `[[A]]`/`[[B]]`/`[[C]]` verdict that prefers the stronger model, with
/// upsets (more between neighbours) and ties on some prompts. A ``Gate`` can hold requests of one kind after the first N (delayed far beyond
/// any test), which is how a test stops a run in the middle of a phase.
final class CompareFixture: @unchecked Sendable {
    let directory: URL
    let server: LoopbackChatServer
    let gate = Gate()
    let models: [String]
    let itemsPerTask: Int
    static let judgeModel = "judge-1"

    var suiteFile: URL { directory.appendingPathComponent("suite.yaml") }

    /// - Parameters:
    ///   - models: candidate model names, strongest first.
    ///   - itemsPerTask: items in each of the two tasks (`dev`, and `holdout`, held out).
    ///   - faults: when given, decides a judge request's fate before it is answered (errors, drops, delays).
    init(models: [String] = ["alpha", "beta", "gamma"], itemsPerTask: Int = 6, concurrency: Int = 2,
         faults: (@Sendable (RecordedRequest, LoopbackChatServer.Behavior) -> LoopbackChatServer.Behavior)? = nil) throws {
        self.models = models
        self.itemsPerTask = itemsPerTask
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-compare-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let gate = gate
        let strength = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, models.count - $0) })
        server = try LoopbackChatServer.start(threads: 2) { request in
            let (kind, reply) = Self.answer(request, strength: strength)
            guard gate.admit(kind) else { return .delayed(.seconds(3600), then: .reply(reply)) }
            if kind == "judge", let faults { return faults(request, .reply(reply)) }
            return .reply(reply)
        }
        try writeSuite(concurrency: concurrency)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - The suite

    private func writeSuite(concurrency: Int) throws {
        let base = server.baseURL.absoluteString
        var yaml = """
            name: interrupt
            tasks:
              - name: dev
                items: dev.jsonl
              - name: holdout
                items: holdout.jsonl
                held_out: true
            models:

            """
        for model in models {
            yaml += "  - name: \(model)\n    url: \(base)\n    model: \(model)\n    max_tokens: 64\n"
        }
        yaml += """
            judge:
              url: \(base)
              model: \(Self.judgeModel)
              template: pairwise
              both_orders: true
              concurrency: \(concurrency)

            """
        try yaml.write(to: suiteFile, atomically: true, encoding: .utf8)
        for task in ["dev", "holdout"] {
            let lines = (1...itemsPerTask).map { i in
                #"{"id": "\#(task)-\#(i)", "prompt": "Question \#(i) of \#(task): name a colour and a number.", "reference": "red 7"}"#
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.appendingPathComponent("\(task).jsonl"), atomically: true, encoding: .utf8)
        }
    }

    var candidateCount: Int { models.count * 2 * itemsPerTask }
    /// Every pair on every item, both orders (outputs always differ).
    var judgmentCount: Int { models.count * (models.count - 1) / 2 * 2 * itemsPerTask * 2 }

    // MARK: - Deterministic answers

    /// `"judge"` or `"generate"`, and the reply's text.
    static func answer(_ request: RecordedRequest, strength: [String: Int]) -> (String, String) {
        let body = request.jsonObject ?? [:]
        let model = body["model"] as? String ?? ""
        let messages = body["messages"] as? [[String: Any]] ?? []
        let text = messages.compactMap { $0["content"] as? String }.joined(separator: "\n")
        guard model == judgeModel else {
            return ("generate", "«\(model)» says \(digest(text) % 1000) — a colour and a number")
        }
        // Which model's answer is shown first: the marker that occurs first in the prompt.
        let shown = strength.keys.compactMap { name in text.range(of: "«\(name)»").map { (name, $0.lowerBound) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
        guard shown.count == 2 else { return ("judge", "I cannot tell. [[C]]") }
        let (a, b) = (strength[shown[0]]!, strength[shown[1]]!)
        // Neighbours are close (the weaker wins 35% of the time), distant models far apart (1% at a gap of 4).
        let upset = [0, 35, 15, 5, 1][min(4, abs(a - b))]
        let h = Int(digest(text) % 100)
        let verdict = h < upset ? (a > b ? "B" : "A") : h < upset + 10 ? "C" : (a > b ? "A" : "B")
        return ("judge", "Both answers name a colour. Weighing them: [[\(verdict)]]")
    }

    /// kind of a recorded request, as ``answer(_:strength:)`` classifies it.
    static func kind(_ request: RecordedRequest) -> String {
        (request.jsonObject?["model"] as? String) == judgeModel ? "judge" : "generate"
    }

    /// FNV-1a: stable across processes (unlike `Hasher`).
    static func digest(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    /// Requests of `kind` received so far.
    func requests(_ kind: String) -> Int { server.requests.filter { Self.kind($0) == kind }.count }

    // MARK: - Store snapshots

    func storePath(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Everything stored that a run produces, as sorted lines (ids and times left out).
    struct Snapshot: Equatable {
        var candidates: [String]
        var judgments: [String]
    }

    static func snapshot(_ path: String) throws -> Snapshot {
        let db = try readOnly(path)
        return try db.read { db in
            Snapshot(
                candidates: try String.fetchAll(db, sql: """
                    SELECT m.name || '|' || t.name || '|' || i.external_id || '|' || c.content_key || '|' || c.output
                    FROM candidate c JOIN model m ON m.id = c.model_id JOIN item i ON i.id = c.item_id
                    JOIN task t ON t.id = i.task_id ORDER BY 1
                    """),
                judgments: try String.fetchAll(db, sql: """
                    SELECT j.key || '|' || j.position || '|' || coalesce(j.verdict, '-') || '|' || coalesce(j.raw_reply, '-')
                        || '|' || j.unparsed || '|' || coalesce(j.error, '-')
                    FROM judgment j ORDER BY 1
                    """))
        }
    }

    /// Stored candidates and settled judgments (a verdict or an unparsed reply).
    static func counts(_ path: String) throws -> (candidates: Int, judgments: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return (0, 0) }
        let db = try readOnly(path)
        return try db.read { db in
            let hasTables = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'judgment'") ?? false
            guard hasTables else { return (0, 0) }
            return (try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM judgment WHERE verdict IS NOT NULL OR unparsed") ?? 0)
        }
    }

    /// SQLite's own checks, and ours: every judgment settled or failed with its reason, every output non-empty.
    static func checkConsistent(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let db = try readOnly(path)
        try db.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"], file: file, line: line)
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0, file: file, line: line)
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM judgment WHERE verdict IS NULL AND NOT unparsed AND error IS NULL
                """), 0, "a judgment row without a verdict, reply or error", file: file, line: line)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate WHERE output = ''"), 0,
                           file: file, line: line)
        }
    }

    private static func readOnly(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabasePool(path: path, configuration: configuration)
    }
}

// MARK: - Gate

/// Answers the first `limit` requests of one kind at once and holds the rest (until ``open()``).
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var kind: String?
    private var limit = 0
    private var admitted: [String: Int] = [:]
    private var heldCount = 0

    /// From now on, hold requests of `kind` after `limit` more of them.
    func close(_ kind: String, after limit: Int) {
        lock.withLock { self.kind = kind; self.limit = limit; admitted[kind] = 0 }
    }

    func open() { lock.withLock { kind = nil } }

    /// Requests held so far.
    var held: Int { lock.withLock { heldCount } }

    func admit(_ requestKind: String) -> Bool {
        lock.withLock {
            guard requestKind == kind else { return true }
            admitted[requestKind, default: 0] += 1
            if admitted[requestKind]! <= limit { return true }
            heldCount += 1
            return false
        }
    }
}
