import Foundation

/// Where tests find the real model: `JUDGE_TEST_MODEL` if set, else SmolLM2-135M-Instruct Q4_1 in `models/`
/// at the repository root (fetched by `scripts/bootstrap.sh`, which the README's test command runs).
///
/// A missing model throws an error naming the path and the fix, so the test fails — it is never skipped.
public enum RealModelFile {
    /// Repository root, derived from this file's path (Tests/TestSupport/RealModelFile.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SmolLM2-135M-Instruct Q4_1 (Llama architecture, gpt2/smollm tokenizer, ChatML).
    public static func smolLM2() throws -> URL {
        let path = ProcessInfo.processInfo.environment["JUDGE_TEST_MODEL"]
            ?? repositoryRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return URL(fileURLWithPath: path)
    }

    /// Qwen2.5-Coder-1.5B-Instruct Q4_K_M (qwen2), fetched by `scripts/bootstrap.sh --test`.
    public static func qwen25Coder() throws -> URL { try testModel("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf") }

    /// Gemma 3 270M (base) Q4_K_M (gemma3), fetched by `scripts/bootstrap.sh --test`.
    public static func gemma3() throws -> URL { try testModel("gemma-3-270m-q4_k_m.gguf") }

    private static func testModel(_ name: String) throws -> URL {
        let url = repositoryRoot.appendingPathComponent("models/\(name)")
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path, fix: "scripts/bootstrap.sh --test") }
        return url
    }

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var fix = "scripts/bootstrap.sh (or set JUDGE_TEST_MODEL)"
        var description: String { "model not found at \(path): run \(fix)" }
    }
}
