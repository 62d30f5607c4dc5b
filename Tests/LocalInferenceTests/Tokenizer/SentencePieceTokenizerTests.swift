import XCTest
@testable import LocalInference

/// The `llama` (SentencePiece BPE) tokenizer on a small hand-made vocabulary: no model needed.
final class SentencePieceTokenizerTests: XCTestCase {
    /// `<unk>`, `<s>`, `</s>`, the 256 byte tokens, then normal tokens with the given scores.
    private func makeTokenizer(_ normal: [(String, Float)], addSpacePrefix: Bool? = nil) throws -> Tokenizer {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        var scores: [Float] = [0, 0, 0]
        for byte in 0..<256 {
            let hex = String(byte, radix: 16, uppercase: true)
            tokens.append("<0x" + (hex.count == 1 ? "0" : "") + hex + ">")
            types.append(6)
            scores.append(0)
        }
        for (text, score) in normal {
            tokens.append(text)
            types.append(1)
            scores.append(score)
        }
        return try Tokenizer(configuration: TokenizerConfiguration(
            model: .llama, tokens: tokens, scores: scores, tokenTypes: types, addSpacePrefix: addSpacePrefix))
    }

    private func id(_ tokenizer: Tokenizer, _ text: String) -> Int32 {
        (0..<Int32(tokenizer.vocabularySize)).first { tokenizer.tokenText($0) == text }!
    }

    private static let words: [(String, Float)] = [
        ("▁", -20), ("h", -20), ("e", -20), ("l", -20), ("o", -20), ("w", -20), ("r", -20), ("d", -20),
        ("▁h", -10), ("▁he", -9), ("▁hel", -8), ("▁hell", -7), ("▁hello", -6),
        ("▁w", -10), ("▁wo", -9), ("▁wor", -8), ("▁worl", -7), ("▁world", -6),
    ]

    func testWordsWithSpacePrefixAndBOS() throws {
        let tokenizer = try makeTokenizer(Self.words)
        let ids = tokenizer.encode("hello world")
        XCTAssertEqual(ids, [1, id(tokenizer, "▁hello"), id(tokenizer, "▁world")])
        XCTAssertEqual(tokenizer.encode("hello world", addSpecial: false), Array(ids.dropFirst()))
        XCTAssertEqual(tokenizer.bos, 1)
        XCTAssertEqual(tokenizer.eos, 2)
        XCTAssertTrue(tokenizer.addsBOS)
        XCTAssertTrue(tokenizer.isEndOfGeneration(2))
        XCTAssertFalse(tokenizer.isEndOfGeneration(1))
    }

    func testDecodeDropsThePrefixSpaceOnce() throws {
        let tokenizer = try makeTokenizer(Self.words)
        let ids = tokenizer.encode("hello world")
        XCTAssertEqual(tokenizer.decode(ids, skipSpecial: true), "hello world")
        XCTAssertEqual(tokenizer.decode(ids), "<s>hello world")
        XCTAssertEqual(tokenizer.decode(Array(ids.dropFirst())), "hello world")
        XCTAssertEqual(tokenizer.pieceBytes(id(tokenizer, "▁hello")), Array(" hello".utf8))
    }

    func testHigherScoreMergesFirst() throws {
        let bcWins = try makeTokenizer([("a", -5), ("b", -5), ("c", -5), ("ab", -2), ("bc", -1)], addSpacePrefix: false)
        XCTAssertEqual(bcWins.encode("abc", addSpecial: false), [id(bcWins, "a"), id(bcWins, "bc")])
        let abWins = try makeTokenizer([("a", -5), ("b", -5), ("c", -5), ("ab", -1), ("bc", -2)], addSpacePrefix: false)
        XCTAssertEqual(abWins.encode("abc", addSpecial: false), [id(abWins, "ab"), id(abWins, "c")])
        // A tie goes to the leftmost pair.
        let tie = try makeTokenizer([("a", -5), ("b", -5), ("c", -5), ("ab", -1), ("bc", -1)], addSpacePrefix: false)
        XCTAssertEqual(tie.encode("abc", addSpecial: false), [id(tie, "ab"), id(tie, "c")])
    }

    func testByteFallbackAndStreaming() throws {
        let tokenizer = try makeTokenizer([("h", -1)], addSpacePrefix: false)
        // é is C3 A9 and no token: it falls back to <0xC3> <0xA9> (ids 3 + byte).
        let ids = tokenizer.encode("hé", addSpecial: false)
        XCTAssertEqual(ids, [id(tokenizer, "h"), 3 + 0xC3, 3 + 0xA9])
        XCTAssertEqual(tokenizer.pieceBytes(3 + 0xC3), [0xC3])
        XCTAssertEqual(tokenizer.decode(ids), "hé")
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        XCTAssertEqual(decoder.append(ids[0]), "h")
        XCTAssertEqual(decoder.append(ids[1]), "")
        XCTAssertEqual(decoder.append(ids[2]), "é")
        XCTAssertEqual(decoder.flush(), "")
    }

    func testSpecialTokensInTextAndSpacePrefixAfterThem() throws {
        let tokenizer = try makeTokenizer(Self.words)
        // The text after a special token gets the space prefix again, as in llama.cpp.
        XCTAssertEqual(tokenizer.encode("<s>hello", addSpecial: false), [1, id(tokenizer, "▁hello")])
        let plain = tokenizer.encode("<s>hello", addSpecial: false, parseSpecial: false)
        XCTAssertFalse(plain.contains(1))
        XCTAssertEqual(tokenizer.decode(plain), "<s>hello")
    }

    func testEmptyText() throws {
        let tokenizer = try makeTokenizer(Self.words)
        XCTAssertEqual(tokenizer.encode(""), [1])
        XCTAssertEqual(tokenizer.encode("", addSpecial: false), [])
        XCTAssertEqual(tokenizer.decode([]), "")
    }

    func testLongInputStaysLinearithmic() throws {
        // 20,000 symbols through the merge queue; a quadratic loop would take minutes here.
        let tokenizer = try makeTokenizer(Self.words)
        let text = String(repeating: "hello world ", count: 2_000)
        let ids = tokenizer.encode(text, addSpecial: false)
        XCTAssertEqual(ids.count, 4_000 + 1)  // the final space stays a lone ▁
        XCTAssertEqual(tokenizer.decode(ids), text)
    }
}
