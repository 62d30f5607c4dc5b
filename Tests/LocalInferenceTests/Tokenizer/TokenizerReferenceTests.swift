import Foundation
import XCTest
@testable import LocalInference

/// Tokenization of the real model (SmolLM2-135M-Instruct: gpt2 tokenizer, `smollm` split rules) against
/// llama.cpp's ids for every string of the committed corpus (Fixtures/tokenizer/smollm2_reference.json,
/// written by scripts/reference/tokenizer_reference.py).
final class TokenizerReferenceTests: XCTestCase {
    private struct Reference: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int32]
            let ids_no_special: [Int32]
        }
        let vocabulary_size: Int
        let end_of_generation: [Int32]
        let cases: [Case]
    }

    private static var cached: (Tokenizer, Reference)?

    private func load() throws -> (Tokenizer, Reference) {
        if let cached = Self.cached { return cached }
        let tokenizer = try Tokenizer(file: GGUFFile(url: TestModel.smolLM2()))
        let data = try Data(contentsOf: TestModel.fixture("tokenizer/smollm2_reference.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        Self.cached = (tokenizer, reference)
        return (tokenizer, reference)
    }

    func testCorpusIsLargeAndVaried() throws {
        let (_, reference) = try load()
        XCTAssertGreaterThanOrEqual(reference.cases.count, 200)
        let texts = reference.cases.map(\.text)
        XCTAssertTrue(texts.contains { $0.contains("<|im_start|>") })
        XCTAssertTrue(texts.contains { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
        XCTAssertTrue(texts.contains { $0.unicodeScalars.contains { $0.properties.isEmoji && $0.value > 0x2000 } })
        XCTAssertTrue(texts.contains { $0.contains("\t") && $0.contains("\n") })
    }

    func testIdsMatchLlamaCppWithSpecialTokensParsed() throws {
        let (tokenizer, reference) = try load()
        var mismatches = 0
        for item in reference.cases {
            let ids = tokenizer.encode(item.text)
            if ids != item.ids {
                mismatches += 1
                XCTFail("\(item.text.debugDescription): ours \(ids), llama.cpp \(item.ids)")
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testIdsMatchLlamaCppWithSpecialTokensAsText() throws {
        let (tokenizer, reference) = try load()
        for item in reference.cases {
            XCTAssertEqual(tokenizer.encode(item.text, parseSpecial: false), item.ids_no_special, item.text.debugDescription)
        }
    }

    func testDecodeRoundTrips() throws {
        let (tokenizer, reference) = try load()
        for item in reference.cases {
            XCTAssertEqual(tokenizer.decode(item.ids), item.text, "\(item.ids)")
            XCTAssertEqual(tokenizer.decode(item.ids_no_special), item.text, "\(item.ids_no_special)")
            var streaming = StreamingDecoder(tokenizer: tokenizer)
            let streamed = item.ids.map { streaming.append($0) }.joined() + streaming.flush()
            XCTAssertEqual(streamed, item.text)
        }
    }

    func testVocabularyFacts() throws {
        let (tokenizer, reference) = try load()
        XCTAssertEqual(tokenizer.vocabularySize, reference.vocabulary_size)
        XCTAssertEqual(tokenizer.bos, 1)
        XCTAssertEqual(tokenizer.eos, 2)
        XCTAssertFalse(tokenizer.addsBOS)  // SmolLM2's add_bos_token is false
        let endOfGeneration = (0..<Int32(tokenizer.vocabularySize)).filter(tokenizer.isEndOfGeneration)
        XCTAssertEqual(endOfGeneration, reference.end_of_generation)
        XCTAssertEqual(tokenizer.encode("Hi", addSpecial: true), [1] + tokenizer.encode("Hi"))
    }
}
