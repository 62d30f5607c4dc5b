import XCTest
@testable import LocalInference

/// Reading `tokenizer.ggml.*` from GGUF files written with our writer: a complete vocabulary loads, and
/// each kind of bad metadata is an error naming the key.
final class TokenizerConfigurationTests: XCTestCase {
    private func file(_ metadata: [String: GGUFValue]) throws -> GGUFFile {
        var writer = GGUFWriter()
        writer.setMetadata("general.architecture", .string("llama"))
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { writer.setMetadata(key, value) }
        return try GGUFFile(bytes: writer.serialized())
    }

    private var byteTokens: GGUFValue {
        .array((0..<256).map { .string(String(decoding: ByteLevel.encoded[$0], as: UTF8.self)) } + [.string("ab"), .string("<|eos|>")])
    }

    private var types: GGUFValue { .array([GGUFValue](repeating: .int32(1), count: 257) + [.int32(3)]) }

    func testReadsAByteLevelVocabulary() throws {
        let tokenizer = try Tokenizer(file: file([
            "tokenizer.ggml.model": .string("gpt2"),
            "tokenizer.ggml.pre": .string("qwen2"),
            "tokenizer.ggml.tokens": byteTokens,
            "tokenizer.ggml.token_type": types,
            "tokenizer.ggml.merges": .array([.string("a b")]),
            "tokenizer.ggml.eos_token_id": .uint32(257),
            "tokenizer.ggml.bos_token_id": .uint32(257),
            "tokenizer.ggml.add_bos_token": .bool(true),
        ]))
        XCTAssertEqual(tokenizer.vocabularySize, 258)
        XCTAssertEqual(tokenizer.encode("ab<|eos|>"), [257, 256, 257])
        XCTAssertEqual(tokenizer.encode("ab", addSpecial: false), [256])
        XCTAssertTrue(tokenizer.isEndOfGeneration(257))
    }

    func testMissingAndMistypedFieldsNameTheKey() throws {
        XCTAssertThrowsError(try Tokenizer(file: file([:]))) {
            XCTAssertEqual($0 as? TokenizerError, .missingField("tokenizer.ggml.model"))
            XCTAssertTrue("\($0)".contains("tokenizer.ggml.model"))
        }
        XCTAssertThrowsError(try Tokenizer(file: file(["tokenizer.ggml.model": .string("bert"), "tokenizer.ggml.tokens": byteTokens]))) {
            XCTAssertEqual("\($0)", "unsupported tokenizer.ggml.model \"bert\" (supported: llama, gpt2, gemma4)")
        }
        XCTAssertThrowsError(try Tokenizer(file: file(["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": byteTokens]))) {
            XCTAssertEqual($0 as? TokenizerError, .missingField("tokenizer.ggml.merges"))
        }
        XCTAssertThrowsError(try Tokenizer(file: file([
            "tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": .array([.int32(1)]),
        ]))) {
            XCTAssertEqual("\($0)", "invalid tokenizer.ggml.tokens: expected an array of strings")
        }
        XCTAssertThrowsError(try Tokenizer(file: file([
            "tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": byteTokens,
            "tokenizer.ggml.bos_token_id": .string("one"),
        ]))) {
            XCTAssertTrue("\($0)".hasPrefix("invalid tokenizer.ggml.bos_token_id: expected a token id"), "\($0)")
        }
        XCTAssertThrowsError(try Tokenizer(file: file([
            "tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": byteTokens,
            "tokenizer.ggml.token_type": .array([.string("normal")]),
        ]))) {
            XCTAssertEqual("\($0)", "invalid tokenizer.ggml.token_type: expected an array of int32")
        }
    }
}
