import ArgumentParser
import Foundation
@testable import JudgeCLI
import XCTest

/// Every subcommand's `validate()`: each check refuses what it should, with the usage exit code and a message
/// that names the option, and a valid command line passes. Parsed in process: nothing runs, nothing loads.
final class ValidationTests: XCTestCase {
    private var directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-validate-\(UUID().uuidString)")
    /// An existing, readable file (validation checks that a path exists, never what is in it).
    private var file: String { directory.appendingPathComponent("model.gguf").path }

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("GGUF".utf8).write(to: URL(fileURLWithPath: file))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func assertRefused(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try JudgeCommand.parseAsRoot(arguments), "\(arguments)", file: file, line: line) { error in
            XCTAssertEqual(JudgeCommand.exitCode(for: error), .validationFailure, "\(arguments)", file: file, line: line)
            let text = JudgeCommand.message(for: error)
            XCTAssertTrue(text.contains(message), "\(arguments): “\(text)” does not say “\(message)”", file: file, line: line)
        }
    }

    private func assertAccepted(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try JudgeCommand.parseAsRoot(arguments), "\(arguments)", file: file, line: line)
    }

    // MARK: - Candidates (local engine)

    func testRun() {
        let run = ["run", "--model", file, "--prompt", "Hi"]
        assertAccepted(run)
        assertRefused(["run", "--model", directory.path, "--prompt", "Hi"], "is a directory, not a file")
        assertRefused(["run", "--model", "/nonexistent.gguf", "--prompt", "Hi"], "--model /nonexistent.gguf: no such file")
        assertRefused(run + ["--max-tokens", "0"], "--max-tokens must be between")
        assertRefused(run + ["--top-k=-1"], "--top-k must be between")
        assertRefused(run + ["--temperature=-0.5"], "--temperature -0.5: expected a number ≥ 0")
        assertRefused(run + ["--top-p", "1.5"], "--top-p 1.5: expected")
        assertRefused(run + ["--stop", ""], "--stop \"\": a stop string cannot be empty")
        assertRefused(run + ["--raw", "--system", "Be brief."], "--system needs a chat template")
        assertRefused(run + ["--raw", "--template", "chatml"], "--template and --raw exclude each other")
        assertRefused(run + ["--template", "jinja9"], "--template jinja9: unknown template")
    }

    func testTokenize() {
        assertAccepted(["tokenize", "--model", file, "Hello"])
        assertAccepted(["tokenize", "--model", file, "--file", file])
        assertRefused(["tokenize", "--model", file], "either as an argument or with --file, not both")
        assertRefused(["tokenize", "--model", file, "--file", file, "Hello"], "either as an argument or with --file, not both")
    }

    func testPerplexity() {
        assertAccepted(["perplexity", "--model", file, "--file", file])
        assertRefused(["perplexity", "--model", file, "--file", "/nonexistent.txt"], "--file /nonexistent.txt: no such file")
        assertRefused(["perplexity", "--model", file, "--file", file, "--context", "3"], "--context 3: expected an integer ≥ 4")
    }

    func testServe() {
        assertAccepted(["serve", "--model", file, "--port", "0"])
        assertRefused(["serve", "--model", "/nonexistent.gguf"], "--model /nonexistent.gguf: no such file")
        assertRefused(["serve", "--model", file, "--port", "70000"], "--port 70000: expected 0…65535")
        assertRefused(["serve", "--model", file, "--parallel", "0"], "--parallel must be between")
        assertRefused(["serve", "--model", file, "--max-connections", "0"], "--max-connections must be between")
        assertRefused(["serve", "--model", file, "--context", "8"], "--context 8: expected at least 16 tokens")
        assertRefused(["serve", "--model", file, "--grace=-1"], "--grace")
        assertRefused(["serve", "--model", file, "--chat-template", "jinja9"], "--chat-template jinja9: expected one of")
    }

    func testBenchModel() {
        let bench = ["bench-model", "--model", file]
        assertAccepted(bench)
        assertRefused(bench + ["-p=-1"], "-p -1: expected an integer ≥ 0")
        assertRefused(bench + ["-n=-1"], "-n -1: expected an integer ≥ 0")
        assertRefused(bench + ["-p", "0", "-n", "0"], "-p 0 -n 0: nothing to measure")
        assertRefused(bench + ["--batch", "0"], "--batch 0: expected an integer from 1 to 256")
        assertRefused(bench + ["--threads", "300"], "--threads 300: expected an integer from 1 to 256")
        assertRefused(bench + ["-r", "0"], "-r 0: expected an integer from 1 to 100")
    }

    // MARK: - Comparisons and verdicts

    func testImportHasNothingToRefuseBeyondItsArguments() {
        assertAccepted(["import", file, "--db", "x.sqlite"])
        XCTAssertThrowsError(try JudgeCommand.parseAsRoot(["import"]))   // the outputs file is required
    }

    func testCompare() {
        let compare = ["compare", file]
        assertAccepted(compare)
        assertAccepted(compare + ["--pairs", "adaptive", "--budget", "40"])
        assertRefused(compare + ["--concurrency", "0"], "--concurrency must be between")
        assertRefused(compare + ["--max-cost", "0"], "--max-cost must be a positive amount in USD")
        assertRefused(compare + ["--judge-url", "ftp://x"], "--judge-url must be an http:// or https:// URL")
        assertRefused(compare + ["--judge-path", "/nonexistent.gguf"], "--judge-path /nonexistent.gguf: no such file")
        assertRefused(compare + ["--pairs", "adaptive"], "--pairs adaptive needs --budget N")
        assertRefused(compare + ["--budget", "10"], "--budget applies to --pairs adaptive only")
        assertAccepted(compare + ["--batch", "--pairs", "sample:2", "--batch-poll", "5"])
        assertRefused(compare + ["--batch", "--pairs", "adaptive", "--budget", "40"], "--batch judges a fixed plan")
        assertRefused(compare + ["--batch", "--batch-poll", "0"], "--batch-poll must lie in 0.01…3600 seconds")
        assertRefused(compare + ["--samples=-1"], "--samples must be ≥ 0")
        assertRatingArgumentsRefused(compare)
    }

    // MARK: - Ratings

    func testRank() {
        assertAccepted(["rank", "--db", "x.sqlite"])
        assertAccepted(["rank", "--battles", file, "--prior", "0"])   // the plain maximum likelihood
        assertRefused(["rank", "--battles", file, "--db", "x.sqlite"], "pass either --db or --battles, not both")
        assertRefused(["rank", "--battles", file, "--suite", file], "--suite selects comparisons in the store")
        assertRefused(["rank", "--suite", "/nonexistent.yaml"], "no suite file at /nonexistent.yaml")
        assertRefused(["rank", "--battles", file, "--judge", "j"], "--judge and --list-judges read the store")
        assertRefused(["rank", "--judge", ""], "--judge needs a judge name")
        assertRefused(["rank", "--task", "t", "--per-task"], "--task and --per-task exclude each other")
        assertRatingArgumentsRefused(["rank"])
    }

    func testOverfit() {
        assertAccepted(["overfit", file])
        assertRefused(["overfit", "--battles", file, "--db", "x.sqlite", "--held-out", "t"], "pass either --db or --battles, not both")
        assertRefused(["overfit", "--battles", file], "name the held-out tasks of the battles file")
        assertRefused(["overfit", "/nonexistent.yaml"], "no suite file at /nonexistent.yaml")
        assertRefused(["overfit", file, "--min-tau", "2"], "--min-tau must lie in [-1, 1]")
        assertRefused(["overfit", "--battles", file, "--held-out", "t", "--judge", "j"], "--judge reads the store")
        assertRefused(["overfit", file, "--bootstrap", "0"], "--bootstrap must be ≥ 1")
        assertRatingArgumentsRefused(["overfit", file])
    }

    func testAgreement() {
        assertAccepted(["agreement", file])
        assertRefused(["agreement", file, "--labels", file, "--against", "j"], "pass --labels or --against, not both")
        assertRefused(["agreement", file, "--against", ""], "--against needs a judge name")
        assertRefused(["agreement", file, "--bootstrap=-1"], "--bootstrap must be ≥ 0")
        assertRefused(["agreement", file, "--judge", ""], "--judge needs a judge name")
    }

    // MARK: - Reports

    func testReport() {
        assertAccepted(["report", file])
        assertRefused(["report", file, "--samples=-1"], "--samples must be ≥ 0")
        assertRefused(["report", file, "--judge", ""], "--judge needs a judge name")
        assertRatingArgumentsRefused(["report", file])
    }

    func testLeaderboard() {
        let board = ["leaderboard", "--out", directory.path]
        assertAccepted(board)
        assertRefused(board + ["--date", "2026-02-30"], "--date must be a calendar date YYYY-MM-DD")
        assertRefused(["leaderboard", "--out", ""], "--out must name a directory")
        assertRefused(board + ["--judge", ""], "--judge needs a judge name")
        assertRefused(board + ["--samples=-1"], "--samples must be ≥ 0")
        assertRatingArgumentsRefused(board)
    }

    /// RatingArguments' checks, as every command that rates applies them.
    private func assertRatingArgumentsRefused(_ command: [String], file: StaticString = #filePath, line: UInt = #line) {
        assertRefused(command + ["--anchor", "gpt-4"], "--anchor must be MODEL=RATING", file: file, line: line)
        assertRefused(command + ["--prior=-1"], "the prior strength must be ≥ 0", file: file, line: line)
        assertRefused(command + ["--strong-weight", "0.5"], "the weight of a decisive win must be ≥ 1", file: file, line: line)
        assertRefused(command + ["--ties", "davidson", "--control", "length"], "length control uses ties as half wins",
                      file: file, line: line)
    }
}
