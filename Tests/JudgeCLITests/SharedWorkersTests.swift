import Foundation
import Store
import TestSupport
import XCTest

/// Three `judge compare` processes (the built binary) on one suite and one PostgreSQL store, against a
/// loopback judge that injects faults (503s, dropped connections, slow replies); one worker is killed with
/// SIGKILL twice and started again. Checked: every judgment stored exactly once, the same as one process's
/// run; no judge call answered twice except those in flight at a kill.
final class SharedWorkersTests: XCTestCase {
    func testThreeWorkersOneKilledTwiceShareTheWorkWithoutDuplicates() throws {
        let judge = try JudgeBinary.locate()
        let answered = AnsweredCalls()
        let fixture = try CompareFixture(models: ["alpha", "beta", "gamma", "delta"], itemsPerTask: 10, concurrency: 4) { request, reply in
            // Faults decided by content and attempt: a fifth of the calls fail their first attempt (503 or a
            // dropped connection); every answer takes 40–80 ms.
            let text = request.bodyText
            let digest = CompareFixture.digest(text)
            let attempt = answered.attempt(text)
            if attempt == 1, digest % 10 == 0 { return .error(503, message: "overloaded") }
            if attempt == 1, digest % 10 == 1 { return .dropConnection }
            answered.answer(text)
            return .delayed(.milliseconds(40 + Int64(digest % 40)), then: reply)
        }
        let suite = fixture.suiteFile.path
        let url = try PostgresTestServer.shared().createDatabase()
        let arguments = ["compare", suite, "--db", url, "--no-report", "--lease", "2"]

        // Three workers, each named as if on its own machine: a dead one's leases must run out.
        func start(_ n: Int) throws -> JudgeBinary.Run {
            setenv("JUDGE_WORKER_NAME", "machine-\(n)", 1)
            defer { unsetenv("JUDGE_WORKER_NAME") }
            return try judge.start(arguments, in: fixture.directory)
        }
        var workers = [try start(1), try start(2), try start(3)]
        var kills = 0
        for threshold in [fixture.judgmentCount / 4, fixture.judgmentCount / 2] {
            try waitUntil("\(threshold) judge calls answered") { answered.total >= threshold }
            workers[1].send(SIGKILL)
            XCTAssertTrue(workers[1].wait().signalled)
            kills += 1
            workers[1] = try start(2)
        }
        for (n, worker) in workers.enumerated() {
            let (status, _) = worker.wait()
            XCTAssertEqual(status, 0, "worker \(n + 1): \(worker.errors)")
        }

        // Every judgment exactly once, settled.
        let store = try JudgeStore.open(url)
        let judgments = try store.judgments(suite: "interrupt")
        XCTAssertEqual(judgments.count, fixture.judgmentCount)
        XCTAssertEqual(Set(judgments.map(\.key)).count, judgments.count)
        XCTAssertEqual(judgments.filter { $0.error != nil }.count, 0)

        // No call answered twice, except those in flight at the two kills (at most the worker's concurrency each).
        let duplicates = answered.duplicates
        let sent = answered.total
        print("shared workers: \(sent) judge calls answered for \(fixture.judgmentCount) judgments, \(duplicates) answered twice, \(kills) kills survived, \(answered.attemptCount) attempts with faults")
        XCTAssertLessThanOrEqual(duplicates, kills * 4)
        XCTAssertEqual(sent - duplicates, fixture.judgmentCount)

        // The same store as one process's run (the judge answers from content, so verdicts are comparable).
        let reference = fixture.storePath("reference.sqlite")
        let single = try judge.run(["compare", suite, "--db", reference, "--no-report"], in: fixture.directory)
        XCTAssertEqual(single.status, 0, single.stderr)
        func verdicts(_ store: JudgeStore) throws -> [String] {
            try store.judgments(suite: "interrupt").map { "\($0.key)|\($0.verdict?.rawValue ?? "-")|\($0.rawReply ?? "-")" }.sorted()
        }
        XCTAssertEqual(try verdicts(store), try verdicts(try JudgeStore.open(reference)))
    }
}

// MARK: - Adaptive rounds

/// Two `judge compare --pairs adaptive --budget 40` processes at once on one store share the budget: the
/// judge answers 40 calls in all, none twice (before, each spent its own budget: 80 calls for 40).
final class SharedAdaptiveWorkersTests: XCTestCase {
    func testTwoAdaptiveWorkersOnSQLiteShareOneBudget() throws {
        try twoAdaptiveWorkers { fixture in fixture.storePath("shared.sqlite") }
    }

    func testTwoAdaptiveWorkersOnPostgreSQLShareOneBudget() throws {
        try twoAdaptiveWorkers { _ in try PostgresTestServer.shared().createDatabase() }
    }

    private func twoAdaptiveWorkers(store makeStore: (CompareFixture) throws -> String) throws {
        let judge = try JudgeBinary.locate()
        let answered = AnsweredCalls()
        let fixture = try CompareFixture(models: ["alpha", "beta", "gamma", "delta"], itemsPerTask: 6, concurrency: 2) { request, reply in
            let text = request.bodyText
            _ = answered.attempt(text)
            answered.answer(text)
            return .delayed(.milliseconds(20 + Int64(CompareFixture.digest(text) % 20)), then: reply)
        }
        let db = try makeStore(fixture)
        let budget = 40
        let arguments = ["compare", fixture.suiteFile.path, "--db", db, "--no-report", "--pairs", "adaptive", "--budget", "\(budget)"]
        let workers = [try judge.start(arguments, in: fixture.directory), try judge.start(arguments, in: fixture.directory)]
        for (n, worker) in workers.enumerated() {
            let (status, _) = worker.wait()
            XCTAssertEqual(status, 0, "worker \(n + 1): \(worker.errors)")
        }

        let judgments = try JudgeStore.open(db).judgments(suite: "interrupt")
        print("adaptive workers (\(db.hasPrefix("postgres") ? "PostgreSQL" : "SQLite")): \(answered.total) judge calls answered for a budget of \(budget), \(answered.duplicates) answered twice, \(judgments.count) judgments stored")
        XCTAssertEqual(answered.duplicates, 0)
        XCTAssertEqual(answered.total, budget, "the two workers together spend the budget once")
        XCTAssertEqual(judgments.count, budget)
        XCTAssertEqual(Set(judgments.map(\.key)).count, judgments.count)
        XCTAssertEqual(judgments.filter { $0.error != nil }.count, 0)
    }
}

/// Judge calls by request text: attempts, and answers sent.
private final class AnsweredCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [String: Int] = [:]
    private var answers: [String: Int] = [:]

    /// Counts an attempt; returns its number for this text (1 for the first).
    func attempt(_ text: String) -> Int {
        lock.withLock {
            attempts[text, default: 0] += 1
            return attempts[text]!
        }
    }

    func answer(_ text: String) { lock.withLock { answers[text, default: 0] += 1 } }

    var total: Int { lock.withLock { answers.values.reduce(0, +) } }
    var duplicates: Int { lock.withLock { answers.values.reduce(0) { $0 + max(0, $1 - 1) } } }
    var attemptCount: Int { lock.withLock { attempts.values.reduce(0, +) } }
}
