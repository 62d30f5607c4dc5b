import Foundation
import XCTest

/// Where tests find the real model and the committed fixtures.
///
/// The model is fetched into `models/` by `scripts/bootstrap.sh` (the README's test command runs it);
/// `JUDGE_TEST_MODEL` overrides the path. A missing model fails the test with the fix, never skips it.
enum TestModel {
    /// Repository root, derived from this file's path (Tests/LocalInferenceTests/Support/TestModel.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// SmolLM2-135M-Instruct Q4_1 (Llama architecture, gpt2/smollm tokenizer, ChatML).
    static func smolLM2(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let path = ProcessInfo.processInfo.environment["JUDGE_TEST_MODEL"]
            ?? repositoryRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("model not found at \(path): run scripts/bootstrap.sh (or set JUDGE_TEST_MODEL)", file: file, line: line)
            throw XCTSkip("model missing")
        }
        return URL(fileURLWithPath: path)
    }

    /// A committed fixture under Tests/LocalInferenceTests/Fixtures.
    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name)"])
        }
        return url
    }
}
