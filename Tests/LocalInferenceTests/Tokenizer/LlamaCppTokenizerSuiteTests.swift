import Foundation
import TestSupport
import XCTest
@testable import LocalInference

/// llama.cpp's own tokenizer test (tests/test-tokenizer-0.cpp) on its vocabulary-only GGUFs: every case of
/// every vocabulary in its `models/` folder that has `.inp`/`.out` files, with its flags (add_special false,
/// parse_special false). The files come from the llama-cpp-python 0.3.36 sdist, fetched into
/// models/llama.cpp-vocab by `scripts/bootstrap.sh --test` (never committed). A tokenizer model or
/// pre-tokenizer we do not know is refused by name (TokenizerConfigurationTests, PreTokenizerTests).
final class LlamaCppTokenizerSuiteTests: XCTestCase {
    /// Vocabularies we tokenize exactly.
    static let supported = ["command-r", "deepseek-coder", "deepseek-llm", "falcon", "gemma-4", "gpt-2", "llama-bpe", "llama-spm", "mpt", "phi-3",
                            "qwen2", "qwen35", "refact", "starcoder"]
    /// WordPiece, which judge's engine has no use for.
    static let outOfScope = ["bert-bge"]

    /// Each vocabulary's tokenizer, loaded once for all tests (Gemma 4's 262,144 tokens and 514,906
    /// merges take a while in a debug build).
    nonisolated(unsafe) private static var tokenizers: [String: Tokenizer] = [:]

    private func tokenizer(_ name: String, in folder: URL) throws -> Tokenizer {
        if let cached = Self.tokenizers[name] { return cached }
        let start = Date()
        let tokenizer = try Tokenizer(file: GGUFFile(url: folder.appendingPathComponent("ggml-vocab-\(name).gguf")))
        print("test-tokenizer-0 \(name): loaded in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        Self.tokenizers[name] = tokenizer
        return tokenizer
    }

    private func folder() throws -> URL {
        let url = RealModelFile.repositoryRoot.appendingPathComponent("models/llama.cpp-vocab")
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("ggml-vocab-llama-spm.gguf.inp").path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path,
                                                        NSLocalizedDescriptionKey: "\(url.path) is missing: run scripts/bootstrap.sh --test"])
        }
        return url
    }

    /// The cases of `name`: (text, ids), parsed as test-tokenizer-0.cpp parses them.
    private func cases(_ name: String, in folder: URL) throws -> [(String, [Int32])] {
        let base = folder.appendingPathComponent("ggml-vocab-\(name).gguf")
        let raw = try Data(contentsOf: base.appendingPathExtension("inp"))
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        var inputs: [String] = []
        var bytes = [UInt8](raw)[...]
        while !bytes.isEmpty {
            var cut: Int? = nil
            var i = bytes.startIndex
            while i + separator.count <= bytes.endIndex {
                if bytes[i..<(i + separator.count)].elementsEqual(separator) { cut = i; break }
                i += 1
            }
            guard let cut else { inputs.append(String(decoding: bytes, as: UTF8.self)); break }
            inputs.append(String(decoding: bytes[bytes.startIndex..<cut], as: UTF8.self))
            bytes = bytes[(cut + separator.count)...]
        }
        let lines = try String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let outputs = lines.last == "" ? Array(lines.dropLast()) : lines
        XCTAssertEqual(inputs.count, outputs.count, "\(name): .inp and .out disagree")
        return zip(inputs, outputs).map { text, line in
            (text, line.split(separator: " ").compactMap { Int32($0) })
        }
    }

    /// Every vocabulary with cases is in exactly one of the three lists, so a new one cannot be missed.
    func testEveryVocabularyWithCasesIsAccountedFor() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder().path)
            .filter { $0.hasSuffix(".gguf.inp") }
            .map { String($0.dropFirst("ggml-vocab-".count).dropLast(".gguf.inp".count)) }
        XCTAssertEqual(Set(names), Set(Self.supported + Self.outOfScope))
    }

    func testEveryCaseOfTheSupportedVocabulariesMatches() throws {
        let folder = try folder()
        var total = 0
        for name in Self.supported {
            let tokenizer = try tokenizer(name, in: folder)
            let all = try cases(name, in: folder)
            var passed = 0
            for (text, ids) in all {
                let ours = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
                XCTAssertEqual(ours, ids, "\(name): \(text.debugDescription)")
                if ours == ids { passed += 1 }
            }
            total += all.count
            print("test-tokenizer-0 \(name): \(passed)/\(all.count)")
        }
        XCTAssertGreaterThan(total, 200)
    }

    /// Decoding the ids of every case gives its text back (no clean-up of spaces, no prefix space added).
    func testEveryCaseDecodesBackToItsText() throws {
        let folder = try folder()
        for name in Self.supported {
            let tokenizer = try tokenizer(name, in: folder)
            for (text, ids) in try cases(name, in: folder) {
                XCTAssertEqual(tokenizer.decode(ids), text, "\(name): \(ids)")
            }
        }
    }
}
