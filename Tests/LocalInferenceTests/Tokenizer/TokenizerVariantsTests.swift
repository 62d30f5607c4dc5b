import Foundation
import XCTest
@testable import LocalInference

/// The tokenizer kinds SmolLM2 does not use, checked against llama.cpp on the whole corpus: SmolLM2's
/// vocabulary under the `default`, `gpt-2`, `llama-bpe` and `qwen2` split rules, and a SentencePiece
/// (`llama`) vocabulary derived from it. Fixture: Fixtures/tokenizer/variants_reference.json, written by
/// scripts/reference/tokenizer_reference.py --variants-out (whose `spm_vocabulary` builds the same vocabulary).
final class TokenizerVariantsTests: XCTestCase {
    private static var cached: (TokenizerConfiguration, [String], [String: Any])?

    private func load() throws -> (TokenizerConfiguration, [String], [String: Any]) {
        if let cached = Self.cached { return cached }
        let file = try GGUFFile(url: TestModel.smolLM2())
        let configuration = try TokenizerConfiguration(metadata: file.metadata)
        let corpus = try JSONDecoder().decode([String].self, from: Data(contentsOf: TestModel.fixture("tokenizer/corpus.json")))
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: TestModel.fixture("tokenizer/variants_reference.json"))) as? [String: Any])
        Self.cached = (configuration, corpus, reference)
        return (configuration, corpus, reference)
    }

    private func expectedIds(_ reference: [String: Any], _ key: String) throws -> [[Int32]] {
        let lists = try XCTUnwrap(reference[key] as? [[Int]], "fixture has no \(key)")
        return lists.map { $0.map(Int32.init) }
    }

    private func assertCorpus(_ tokenizer: Tokenizer, _ corpus: [String], _ expected: [[Int32]], _ label: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(corpus.count, expected.count, label, file: file, line: line)
        var mismatches = 0
        for (text, ids) in zip(corpus, expected) {
            let ours = tokenizer.encode(text)
            if ours != ids {
                mismatches += 1
                XCTFail("\(label) \(text.debugDescription): ours \(ours), llama.cpp \(ids)", file: file, line: line)
            }
        }
        XCTAssertEqual(mismatches, 0, label, file: file, line: line)
    }

    func testSplitRulesOfOtherPreTokenizers() throws {
        let (configuration, corpus, reference) = try load()
        for pre in ["default", "gpt-2", "llama-bpe", "qwen2"] {
            var variant = configuration
            variant.preTokenizer = pre
            assertCorpus(try Tokenizer(configuration: variant), corpus, try expectedIds(reference, "pre:\(pre)"), "pre \(pre)")
        }
    }

    func testSentencePieceVocabulary() throws {
        let (configuration, corpus, reference) = try load()
        let spm = Self.sentencePieceVocabulary(from: configuration)
        let tokenizer = try Tokenizer(configuration: spm)
        XCTAssertEqual(tokenizer.vocabularySize, reference["spm_vocabulary_size"] as? Int)
        let expected = try expectedIds(reference, "spm")
        assertCorpus(tokenizer, corpus, expected, "spm")
        // SentencePiece decoding drops the prefix space after BOS and gives the text back.
        for (text, ids) in zip(corpus, expected) where !text.contains("<|") && !text.hasPrefix(" ") {
            XCTAssertEqual(tokenizer.decode(ids, skipSpecial: true), text)
        }
    }

    /// The vocabulary of `spm_vocabulary` in the reference script: `<unk> <s> </s>`, the 256 `<0xNN>`
    /// tokens, then each normal byte-level token whose bytes are valid UTF-8, spaces as `▁`, first one
    /// kept, scored by minus its original id.
    static func sentencePieceVocabulary(from source: TokenizerConfiguration) -> TokenizerConfiguration {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        for byte in 0..<256 {
            let hex = String(byte, radix: 16, uppercase: true)
            tokens.append("<0x" + (hex.count == 1 ? "0" : "") + hex + ">")
            types.append(6)
        }
        var scores = [Float](repeating: 0, count: tokens.count)
        var seen = Set(tokens.map { Array($0.utf8) })
        for (i, text) in source.tokens.enumerated() where source.tokenTypes[i] == 1 {
            let bytes = ByteLevel.decode(Array(text.utf8))
            guard String(decoding: text.utf8, as: UTF8.self).unicodeScalars.allSatisfy({ ByteLevel.decoded[$0.value] != nil }),
                  let piece = String(validating: bytes, as: UTF8.self) else { continue }
            let spaced = piece.replacingOccurrences(of: " ", with: "▁")
            let key = Array(spaced.utf8)
            guard !key.isEmpty, !seen.contains(key) else { continue }
            seen.insert(key)
            tokens.append(spaced)
            types.append(1)
            scores.append(-Float(i))
        }
        return TokenizerConfiguration(model: .llama, tokens: tokens, scores: scores, tokenTypes: types,
                                      bosID: 1, eosID: 2, unknownID: 0)
    }
}
