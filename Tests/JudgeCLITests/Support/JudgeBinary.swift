import Foundation
import XCTest

// MARK: - JudgeBinary: the built `judge` executable, run as a user runs it

/// Runs the `judge` executable that `swift build` put beside the test bundle, with its output in files
/// (never pipes, which a chatty child could fill and block on).
struct JudgeBinary {
    let url: URL

    /// The `judge` built with these tests (the same configuration directory as the test bundle).
    static func locate() throws -> JudgeBinary {
        let bundle = Bundle(for: BundleToken.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent(), Bundle.main.bundleURL, bundle]
            .map { $0.appendingPathComponent("judge") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("no built judge executable beside the tests (looked in \(candidates.map(\.path))); run `swift build` first")
        }
        return JudgeBinary(url: found)
    }

    /// A started `judge` process.
    final class Run {
        let process: Process
        let stdout: URL
        let stderr: URL

        init(process: Process, stdout: URL, stderr: URL) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
        }

        var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
        var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

        /// Waits for the process to end; returns its exit status (or the signal that ended it).
        @discardableResult
        func wait() -> (status: Int32, signalled: Bool) {
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
        }

        func send(_ signal: Int32) { kill(process.processIdentifier, signal) }
    }

    /// Starts `judge ARGUMENTS` in `directory`.
    func start(_ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let id = UUID().uuidString.prefix(8)
        let out = directory.appendingPathComponent("stdout-\(id).txt")
        let err = directory.appendingPathComponent("stderr-\(id).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Run(process: process, stdout: out, stderr: err)
    }

    /// Runs `judge ARGUMENTS` to the end.
    func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try start(arguments, in: directory)
        let (status, _) = run.wait()
        return (status, run.output, run.errors)
    }
}

private final class BundleToken {}

/// Polls `condition` every 20 ms until it holds; fails after `timeout` (a guard against a hang, not a timing
/// assertion: the conditions awaited are reached in well under a second).
func waitUntil(_ what: String, timeout: TimeInterval = 120, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        if Date() > deadline { throw TestFailure("timed out after \(Int(timeout)) s waiting until \(what)") }
        usleep(20_000)
    }
}

/// A test cannot go on; the message says why.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
