import Foundation
import XCTest

/// The real model for the local-judge tests (SmolLM2-135M-Instruct), fetched into `models/` by
/// `scripts/bootstrap.sh`; `JUDGE_TEST_MODEL` overrides the path. A missing model fails the test with
/// the fix, never skips it silently.
enum LocalJudgeModel {
    /// Repository root, derived from this file's path (Tests/JudgeTests/Support/LocalJudgeModel.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let path = ProcessInfo.processInfo.environment["JUDGE_TEST_MODEL"]
            ?? repositoryRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("model not found at \(path): run scripts/bootstrap.sh (or set JUDGE_TEST_MODEL)", file: file, line: line)
            throw XCTSkip("model missing")
        }
        return URL(fileURLWithPath: path)
    }
}
