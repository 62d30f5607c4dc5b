import Foundation
import XCTest
@testable import Server

/// The real model for server tests, loaded once per test process and shared (its weights are mapped; each
/// server makes its own KV caches).
///
/// The model is fetched into `models/` by `scripts/bootstrap.sh`; `JUDGE_TEST_MODEL` overrides the path.
/// A missing model fails the test with the fix, never skips it.
enum RealModel {
    /// Repository root, derived from this file's path (Tests/ServerTests/Support/RealModel.swift).
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

    /// An engine on SmolLM2 with a context of `contextLength` positions per sequence.
    static func engine(contextLength: Int = 512) throws -> LocalEngine {
        try LocalEngine(modelURL: url(), contextLength: contextLength)
    }
}
