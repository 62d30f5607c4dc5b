import Foundation
import XCTest

/// `judge compare` (the built binary) killed or interrupted in the middle of generating or of judging,
/// then run again: the store stays consistent, the second run asks for nothing already stored, and the
/// final store equals that of a run never interrupted.
///
/// The models and the judge are one loopback server answering from the request's content; a gate holds
/// the requests of one phase after the first few, so the run is stopped while it waits on them — in the
/// phase under test, with part of that phase's work committed.
final class CompareInterruptionTests: XCTestCase {
    enum Phase: String { case generate, judge }

    func testSIGKILLWhileGenerating() throws { try interrupt(with: SIGKILL, during: .generate) }
    func testSIGINTWhileGenerating() throws { try interrupt(with: SIGINT, during: .generate) }
    func testSIGKILLWhileJudging() throws { try interrupt(with: SIGKILL, during: .judge) }
    func testSIGINTWhileJudging() throws { try interrupt(with: SIGINT, during: .judge) }

    func interrupt(with signal: Int32, during phase: Phase) throws {
        let judge = try JudgeBinary.locate()
        let fixture = try CompareFixture()
        let suite = fixture.suiteFile.path

        // The reference: one uninterrupted run into its own store.
        let reference = fixture.storePath("reference.sqlite")
        let full = try judge.run(["compare", suite, "--db", reference, "--no-report"], in: fixture.directory)
        XCTAssertEqual(full.status, 0, full.stderr)
        let expected = try CompareFixture.snapshot(reference)
        XCTAssertEqual(expected.candidates.count, fixture.candidateCount)
        XCTAssertEqual(expected.judgments.count, fixture.judgmentCount)

        // The interrupted run: the phase's first few requests are answered, the rest held.
        let db = fixture.storePath("interrupted.sqlite")
        let before = (generate: fixture.requests("generate"), judge: fixture.requests("judge"))
        let admitted = phase == .generate ? 5 : 7
        fixture.gate.close(phase.rawValue, after: admitted)
        let run = try judge.start(["compare", suite, "--db", db, "--no-report"], in: fixture.directory)
        try waitUntil("the run waits on a held \(phase) request with part of the phase stored") {
            let stored = try CompareFixture.counts(db)
            let done = phase == .generate ? stored.candidates : stored.judgments
            return fixture.gate.held > 0 && done >= admitted
        }
        run.send(signal)
        let ended = run.wait()
        if signal == SIGKILL {
            XCTAssertTrue(ended.signalled, "killed by SIGKILL")
        } else {
            XCTAssertFalse(ended.signalled, "SIGINT is handled: \(run.errors)")
            XCTAssertEqual(ended.status, 130, run.errors)
            XCTAssertTrue(run.errors.contains("interrupted"), run.errors)
        }
        fixture.gate.open()

        // What the interruption left: consistent, and partway through the phase.
        try CompareFixture.checkConsistent(db)
        let stored = try CompareFixture.counts(db)
        switch phase {
        case .generate:
            XCTAssertEqual(stored.candidates, admitted, "every answered output committed, nothing else")
            XCTAssertEqual(stored.judgments, 0)
        case .judge:
            XCTAssertEqual(stored.candidates, fixture.candidateCount)
            XCTAssertEqual(stored.judgments, admitted, "every answered verdict committed, nothing else")
        }
        let interrupted = (generate: fixture.requests("generate"), judge: fixture.requests("judge"))

        // The same command again finishes the job, asking only for what is missing.
        let resumed = try judge.run(["compare", suite, "--db", db, "--no-report"], in: fixture.directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let after = (generate: fixture.requests("generate"), judge: fixture.requests("judge"))
        XCTAssertEqual(after.generate - interrupted.generate, fixture.candidateCount - stored.candidates,
                       "no stored output generated again")
        XCTAssertEqual(after.judge - interrupted.judge, fixture.judgmentCount - stored.judgments,
                       "no stored verdict judged again")
        XCTAssertGreaterThan(interrupted.generate - before.generate, 0)
        try CompareFixture.checkConsistent(db)
        XCTAssertEqual(try CompareFixture.snapshot(db), expected, "the final store equals an uninterrupted run's")

        // And once more: nothing left to do, nothing sent.
        let again = try judge.run(["compare", suite, "--db", db, "--no-report"], in: fixture.directory)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(fixture.requests("generate") + fixture.requests("judge"), after.generate + after.judge)
        XCTAssertEqual(try CompareFixture.snapshot(db), expected)
    }
}
