import XCTest
@testable import LocalInference

/// The `gemma4` tokenizer (BPE by merge rank over SentencePiece-spelled lines) on a small hand-made
/// vocabulary: no model needed. LlamaCppTokenizerSuiteTests checks the real vocabulary against llama.cpp.
final class Gemma4TokenizerTests: XCTestCase {
    /// `<pad> <eos> <bos> <unk>`, the 256 `<0xNN>` byte tokens, `extra` normal tokens, then
    /// `<|tool_response>` and `</s>` as control tokens.
    private func makeTokenizer(merges: [String], extra: [String], pre: String? = nil, addBOS: Bool? = false) throws -> Tokenizer {
        var tokens = ["<pad>", "<eos>", "<bos>", "<unk>"]
        var types: [Int32] = [3, 3, 3, 2]
        for byte in 0..<256 {
            tokens.append(SentencePieceEncoder.byteTokenText(UInt8(byte)))
            types.append(6)
        }
        tokens += extra
        types += [Int32](repeating: 1, count: extra.count)
        tokens += ["<|tool_response>", "</s>"]
        types += [3, 3]
        return try Tokenizer(configuration: TokenizerConfiguration(
            model: .gemma4, preTokenizer: pre, tokens: tokens, tokenTypes: types, merges: merges,
            bosID: 2, eosID: 1, unknownID: 3, paddingID: 0, addBOS: addBOS, addSpacePrefix: false))
    }

    private func id(_ tokenizer: Tokenizer, _ text: String) -> Int32 {
        (0..<Int32(tokenizer.vocabularySize)).first { tokenizer.tokenText($0) == text }!
    }

    private func byte(_ value: UInt8) -> Int32 { 4 + Int32(value) }

    func testSpacesAreSpelledAndMergedAcrossWords() throws {
        let tokenizer = try makeTokenizer(merges: ["a ▁", "a▁ b", "▁ b"], extra: ["a", "b", "▁", "a▁", "a▁b", "▁b"])
        // One merge chain over the whole line: no split at the space, unlike the byte-level rules.
        XCTAssertEqual(tokenizer.encode("a b", addSpecial: false), [id(tokenizer, "a▁b")])
        XCTAssertEqual(tokenizer.encode(" b", addSpecial: false), [id(tokenizer, "▁b")])
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("a b a", addSpecial: false)), "a b a")

        let spaceFirst = try makeTokenizer(merges: ["▁ b", "a ▁"], extra: ["a", "b", "▁", "a▁", "▁b"])
        XCTAssertEqual(spaceFirst.encode("a b", addSpecial: false), [id(spaceFirst, "a"), id(spaceFirst, "▁b")])
    }

    func testByteFallbackForCharactersAndMergeResultsThatAreNoTokens() throws {
        // "c" is no token; "bb" is a merge result but no token: both fall back to `<0xNN>`, byte by byte.
        let tokenizer = try makeTokenizer(merges: ["b b"], extra: ["b", "▁"])
        XCTAssertEqual(tokenizer.encode("c", addSpecial: false), [byte(0x63)])
        XCTAssertEqual(tokenizer.encode("bb", addSpecial: false), [byte(0x62), byte(0x62)])
        let ids = tokenizer.encode("😀 b", addSpecial: false)
        XCTAssertEqual(ids, [byte(0xF0), byte(0x9F), byte(0x98), byte(0x80), id(tokenizer, "▁"), id(tokenizer, "b")])
        XCTAssertEqual(tokenizer.decode(ids), "😀 b")
        XCTAssertEqual(tokenizer.pieceBytes(byte(0xF0)), [0xF0])
        // A space falls back to the bytes of its spelling, as in llama.cpp (real vocabularies have `▁`).
        let noSpace = try makeTokenizer(merges: [], extra: ["b"])
        XCTAssertEqual(noSpace.encode(" b", addSpecial: false), [byte(0xE2), byte(0x96), byte(0x81), id(noSpace, "b")])
    }

    func testNewlineRunsThatAreTokensSkipTheMerges() throws {
        let tokenizer = try makeTokenizer(merges: ["a \n"], extra: ["a", "\n", "\n\n", "a\n"])
        let newline = id(tokenizer, "\n")
        // No merge builds "\n\n", but a run of newlines that is a token is taken whole.
        XCTAssertEqual(tokenizer.encode("\n\n", addSpecial: false), [id(tokenizer, "\n\n")])
        XCTAssertEqual(tokenizer.encode("\n\n\n", addSpecial: false), [newline, newline, newline])
        // Lines are cut at line feeds before merging, so "a\n" is never built.
        XCTAssertEqual(tokenizer.encode("a\n\na", addSpecial: false), [id(tokenizer, "a"), id(tokenizer, "\n\n"), id(tokenizer, "a")])
    }

    func testBOSIsAlwaysAddedAndThePreKeyIsIgnored() throws {
        let tokenizer = try makeTokenizer(merges: [], extra: ["a"], pre: "nonesuch", addBOS: false)
        XCTAssertTrue(tokenizer.addsBOS)
        XCTAssertEqual(tokenizer.encode("a"), [2, id(tokenizer, "a")])
        XCTAssertEqual(tokenizer.encode("a", addSpecial: false), [id(tokenizer, "a")])
    }

    func testEndOfSentenceIsOrdinaryBesideToolResponse() throws {
        let tokenizer = try makeTokenizer(merges: [], extra: [])
        let toolResponse = id(tokenizer, "<|tool_response>")
        let endOfSentence = id(tokenizer, "</s>")
        XCTAssertTrue(tokenizer.isEndOfGeneration(toolResponse))
        XCTAssertTrue(tokenizer.isEndOfGeneration(1))
        XCTAssertFalse(tokenizer.isEndOfGeneration(endOfSentence))
        XCTAssertFalse(tokenizer.isControl(endOfSentence))
        XCTAssertFalse(tokenizer.encode("</s>", addSpecial: false).contains(endOfSentence))
    }

    func testMergesAreRequired() throws {
        var writer = GGUFWriter()
        writer.setMetadata("general.architecture", .string("gemma4"))
        writer.setMetadata("tokenizer.ggml.model", .string("gemma4"))
        writer.setMetadata("tokenizer.ggml.tokens", .array([.string("a")]))
        XCTAssertThrowsError(try Tokenizer(file: GGUFFile(bytes: writer.serialized()))) {
            XCTAssertEqual($0 as? TokenizerError, .missingField("tokenizer.ggml.merges"))
        }
    }
}
