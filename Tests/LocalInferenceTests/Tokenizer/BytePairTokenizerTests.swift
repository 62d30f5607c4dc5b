import XCTest
@testable import LocalInference

/// The `gpt2` (byte-level BPE) tokenizer on a small hand-made vocabulary: no model needed.
final class BytePairTokenizerTests: XCTestCase {
    /// The 256 byte characters as tokens 0…255, then `extra` normal tokens, then two control tokens.
    private func makeTokenizer(merges: [String], extra: [String], pre: String = "gpt-2") throws -> Tokenizer {
        var tokens = (0..<256).map { String(decoding: ByteLevel.encoded[$0], as: UTF8.self) }
        tokens += extra
        var types = [Int32](repeating: 1, count: tokens.count)
        tokens += ["<|im_start|>", "<|im_end|>"]
        types += [3, 3]
        return try Tokenizer(configuration: TokenizerConfiguration(
            model: .gpt2, preTokenizer: pre, tokens: tokens, tokenTypes: types, merges: merges,
            bosID: Int32(tokens.count - 2), eosID: Int32(tokens.count - 1), addBOS: false))
    }

    private func id(_ tokenizer: Tokenizer, _ text: String) -> Int32 {
        (0..<Int32(tokenizer.vocabularySize)).first { tokenizer.tokenText($0) == text }!
    }

    func testByteCharacterTable() {
        XCTAssertEqual(String(decoding: ByteLevel.encoded[0x20], as: UTF8.self), "Ġ")
        XCTAssertEqual(String(decoding: ByteLevel.encoded[0x0A], as: UTF8.self), "Ċ")
        XCTAssertEqual(String(decoding: ByteLevel.encoded[0x41], as: UTF8.self), "A")
        XCTAssertEqual(Set(ByteLevel.encoded).count, 256)
        XCTAssertEqual(ByteLevel.decode(ByteLevel.encode(Array("héllo 😀\n".utf8))), Array("héllo 😀\n".utf8))
    }

    func testMergesApplyByRank() throws {
        let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"]
        let tokenizer = try makeTokenizer(merges: merges, extra: ["he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld"])
        XCTAssertEqual(tokenizer.encode("hello world"), [id(tokenizer, "hello"), id(tokenizer, "Ġworld")])
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("hello world")), "hello world")

        let abFirst = try makeTokenizer(merges: ["a b", "b c"], extra: ["ab", "bc"])
        XCTAssertEqual(abFirst.encode("abc"), [id(abFirst, "ab"), id(abFirst, "c")])
        let bcFirst = try makeTokenizer(merges: ["b c", "a b"], extra: ["ab", "bc"])
        XCTAssertEqual(bcFirst.encode("abc"), [id(bcFirst, "a"), id(bcFirst, "bc")])
    }

    func testMergesStayInsideWords() throws {
        // "o Ġ" would merge across the word boundary if the split rules were skipped.
        let tokenizer = try makeTokenizer(merges: ["o Ġ"], extra: ["oĠ"])
        XCTAssertEqual(tokenizer.encode("o o"), [id(tokenizer, "o"), id(tokenizer, "Ġ"), id(tokenizer, "o")])
    }

    func testSpecialTokensWrittenInText() throws {
        let tokenizer = try makeTokenizer(merges: [], extra: [])
        let start = id(tokenizer, "<|im_start|>")
        let end = id(tokenizer, "<|im_end|>")
        XCTAssertEqual(tokenizer.encode("<|im_start|>x<|im_end|>"), [start, Int32(UInt8(ascii: "x")), end])
        let plain = tokenizer.encode("<|im_start|>", parseSpecial: false)
        XCTAssertFalse(plain.contains(start))
        XCTAssertEqual(tokenizer.decode(plain), "<|im_start|>")
        XCTAssertEqual(tokenizer.decode([start, end], skipSpecial: true), "")
        XCTAssertTrue(tokenizer.isEndOfGeneration(end))  // <|im_end|> is recognized by its text
        XCTAssertTrue(tokenizer.isControl(start))
    }

    func testLongestSpecialTokenWins() throws {
        var tokens = (0..<256).map { String(decoding: ByteLevel.encoded[$0], as: UTF8.self) }
        tokens += ["<a>", "<a><b>"]
        let types = [Int32](repeating: 1, count: 256) + [3, 3]
        let tokenizer = try Tokenizer(configuration: TokenizerConfiguration(
            model: .gpt2, preTokenizer: "gpt-2", tokens: tokens, tokenTypes: types, merges: []))
        XCTAssertEqual(tokenizer.encode("<a><b><a>"), [257, 256])
    }

    func testTokensEndingMidCharacter() throws {
        // 😀 is F0 9F 98 80: with no merges, four byte tokens, none of them valid UTF-8 alone.
        let tokenizer = try makeTokenizer(merges: [], extra: [])
        let ids = tokenizer.encode("😀!")
        XCTAssertEqual(ids, [0xF0, 0x9F, 0x98, 0x80, 0x21])
        XCTAssertEqual(tokenizer.pieceBytes(0xF0), [0xF0])
        XCTAssertEqual(tokenizer.decode(ids), "😀!")
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        XCTAssertEqual(ids.map { decoder.append($0) }, ["", "", "", "😀", "!"])
        XCTAssertEqual(decoder.append(0xF0), "")
        XCTAssertEqual(decoder.flush(), "\u{FFFD}")  // an unfinished character at the end
        XCTAssertEqual(decoder.append(0x41), "A")
    }

    func testLlama3AddsBOSByDefaultAndSkipsMergesForWholeTokens() throws {
        var tokens = (0..<256).map { String(decoding: ByteLevel.encoded[$0], as: UTF8.self) }
        tokens += ["abc", "<|begin_of_text|>"]
        let types = [Int32](repeating: 1, count: 257) + [3]
        let tokenizer = try Tokenizer(configuration: TokenizerConfiguration(
            model: .gpt2, preTokenizer: "llama-bpe", tokens: tokens, tokenTypes: types, merges: [], bosID: 257))
        // No merge builds "abc", but with ignore_merges a word that is a token is taken whole.
        XCTAssertEqual(tokenizer.encode("abc"), [257, 256])
        XCTAssertEqual(tokenizer.encode("abc", addSpecial: false), [256])
    }

    func testBadConfigurations() {
        XCTAssertThrowsError(try Tokenizer(configuration: TokenizerConfiguration(model: .gpt2, tokens: []))) {
            XCTAssertEqual("\($0)", "invalid tokenizer.ggml.tokens: the vocabulary is empty")
        }
        XCTAssertThrowsError(try Tokenizer(configuration: TokenizerConfiguration(
            model: .llama, tokens: ["a", "b"], scores: [0]))) {
            XCTAssertEqual("\($0)", "invalid tokenizer.ggml.scores: 1 scores for 2 tokens")
        }
        XCTAssertThrowsError(try Tokenizer(configuration: TokenizerConfiguration(
            model: .gpt2, preTokenizer: "nonesuch", tokens: ["a"]))) {
            XCTAssertTrue("\($0)".hasPrefix("unsupported tokenizer.ggml.pre \"nonesuch\""))
        }
    }
}
