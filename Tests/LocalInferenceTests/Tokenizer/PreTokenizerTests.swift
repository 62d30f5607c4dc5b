import XCTest
@testable import LocalInference

/// Each pre-tokenizer's split rules on strings that exercise their corners: contractions (case-sensitive
/// for GPT-2, not for Llama 3), whitespace runs before words and newlines, digit grouping, punctuation
/// runs, non-ASCII letters, numbers and spaces. The expected pieces are what the Hugging Face regexes
/// give (Python `regex` module, rules applied in sequence as isolated splits), which is also what
/// llama.cpp's scanners give on these strings.
final class PreTokenizerTests: XCTestCase {
    private func assertSplit(_ kind: PreTokenizer, _ text: String, _ expected: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        let codepoints = text.unicodeScalars.map(\.value)
        let pieces = kind.split(codepoints).map { range in
            String(String.UnicodeScalarView(codepoints[range].map { Unicode.Scalar($0)! }))
        }
        XCTAssertEqual(pieces, expected, "\(kind) split of \(text.debugDescription)", file: file, line: line)
    }

    func testGpt2Splits() {
        assertSplit(.gpt2, "I'm sure they'LL say 'Re'", ["I", "'m", " sure", " they", "'", "LL", " say", " '", "Re", "'"])
        assertSplit(.gpt2, "  leading and trailing  ", [" ", " leading", " and", " trailing", "  "])
        assertSplit(.gpt2, "a\n\n  b", ["a", "\n\n ", " b"])
        assertSplit(.gpt2, "x \n\t y", ["x", " \n\t", " y"])
        assertSplit(.gpt2, " 12 345", [" 12", " 345"])
        assertSplit(.gpt2, "price: $1,234.56!", ["price", ":", " $", "1", ",", "234", ".", "56", "!"])
        assertSplit(.gpt2, "emoji\u{1F600}\u{1F600} ok", ["emoji", "\u{1F600}\u{1F600}", " ok"])
        assertSplit(.gpt2, "caf\u{E9} na\u{EF}ve", ["caf\u{E9}", " na\u{EF}ve"])
        assertSplit(.gpt2, "k\u{A0}m", ["k", "\u{A0}", "m"])
    }

    func testLlama3Splits() {
        assertSplit(.llama3, "I'm sure they'LL say 'Re'", ["I", "'m", " sure", " they", "'LL", " say", " '", "Re", "'"])
        assertSplit(.llama3, "A'S'T", ["A", "'S", "'T"])
        assertSplit(.llama3, "1234567 89", ["123", "456", "7", " ", "89"])
        assertSplit(.llama3, "a\r\n\r\nb", ["a", "\r\n\r\n", "b"])
        assertSplit(.llama3, "x=1;\ny=2;\n", ["x", "=", "1", ";\n", "y", "=", "2", ";\n"])
        assertSplit(.llama3, "hello\n\n\n", ["hello", "\n\n\n"])
        assertSplit(.llama3, "  leading and trailing  ", [" ", " leading", " and", " trailing", "  "])
        assertSplit(.llama3, "...\n...", ["...\n", "..."])
        assertSplit(.llama3, "\u{4F60}\u{597D}\u{4E16}\u{754C} 123", ["\u{4F60}\u{597D}\u{4E16}\u{754C}", " ", "123"])
    }

    func testQwen2Splits() {
        assertSplit(.qwen2, "1234567 89", ["1", "2", "3", "4", "5", "6", "7", " ", "8", "9"])
        assertSplit(.qwen2, "I'm sure they'LL say 'Re'", ["I", "'m", " sure", " they", "'LL", " say", " '", "Re", "'"])
        assertSplit(.qwen2, "price: $1,234.56!", ["price", ":", " $", "1", ",", "2", "3", "4", ".", "5", "6", "!"])
        assertSplit(.qwen2, "a\n\n  b", ["a", "\n\n", " ", " b"])
    }

    func testStarcoderSplits() {
        assertSplit(.starcoder, "1234567 89", ["1", "2", "3", "4", "5", "6", "7", " ", "8", "9"])
        assertSplit(.starcoder, " 12 345", [" ", "1", "2", " ", "3", "4", "5"])
        assertSplit(.starcoder, "price: $1,234.56!", ["price", ":", " $", "1", ",", "2", "3", "4", ".", "5", "6", "!"])
        assertSplit(.starcoder, "123abc456def", ["1", "2", "3", "abc", "4", "5", "6", "def"])
        assertSplit(.starcoder, "\u{663}\u{664}\u{665} and \u{BD}", ["\u{663}", "\u{664}", "\u{665}", " and", " ", "\u{BD}"])
        assertSplit(.starcoder, "don't!!! stop...", ["don", "'t", "!!!", " stop", "..."])
    }

    func testDefaultSplits() {
        assertSplit(.`default`, "price: $1,234.56!", ["price", ":", " ", "$", "1", ",", "234", ".", "56", "!"])
        assertSplit(.`default`, "1234567 89", ["123", "456", "7", " ", "89"])
        assertSplit(.`default`, "`code` ~tilde~ |pipe| ^caret^", ["`", "code", "`", " ", "~", "tilde", "~", " ", "|", "pipe", "|", " ", "^", "caret", "^"])
        assertSplit(.`default`, "((x))=>{y}", ["((", "x", "))=>{", "y", "}"])
        assertSplit(.`default`, "don't!!! stop...", ["don", "'", "t", "!!!", " stop", "..."])
        assertSplit(.`default`, "123abc456def", ["123", "abc", "456", "def"])
    }

    func testGemma4SplitsOnlyAtLineFeeds() {
        assertSplit(.gemma4, "a b\n\n c\r\nd\n", ["a b", "\n\n", " c\r", "\n", "d", "\n"])
        assertSplit(.gemma4, "\n", ["\n"])
        XCTAssertEqual(PreTokenizer.gemma4.spelling, .sentencePiece)
        XCTAssertEqual(PreTokenizer.qwen2.spelling, .byteLevel)
    }

    func testEveryKindCoversTheTextWithoutGapsOrEmptyPieces() {
        let text = "Mixed: 12 345\t\t'LL café 😀\r\n  end  "
        let codepoints = text.unicodeScalars.map(\.value)
        for kind in PreTokenizer.allCases {
            let pieces = kind.split(codepoints)
            XCTAssertEqual(pieces.first?.lowerBound, 0, "\(kind)")
            XCTAssertEqual(pieces.last?.upperBound, codepoints.count, "\(kind)")
            for (a, b) in zip(pieces, pieces.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound, "\(kind)") }
            XCTAssertFalse(pieces.contains { $0.isEmpty }, "\(kind)")
        }
        XCTAssertEqual(PreTokenizer.gpt2.split([]), [])
    }

    func testNamesFromMetadata() throws {
        XCTAssertEqual(try PreTokenizer(name: "smollm"), .starcoder)
        XCTAssertEqual(try PreTokenizer(name: "llama-bpe"), .llama3)
        XCTAssertEqual(try PreTokenizer(name: "llama3"), .llama3)
        XCTAssertEqual(try PreTokenizer(name: "qwen2"), .qwen2)
        XCTAssertEqual(try PreTokenizer(name: "gpt-2"), .gpt2)
        XCTAssertEqual(try PreTokenizer(name: "default"), .default)
        XCTAssertEqual(try PreTokenizer(name: nil), .default)
        XCTAssertEqual(try PreTokenizer(name: "gemma4"), .gemma4)
        XCTAssertTrue(PreTokenizer.llama3.keepsWhole(Array("ab".utf8)[...]))
        XCTAssertFalse(PreTokenizer.starcoder.keepsWhole(Array("ab".utf8)[...]))
        XCTAssertTrue(PreTokenizer.gemma4.keepsWhole(Array("\n\n".utf8)[...]))
        XCTAssertFalse(PreTokenizer.gemma4.keepsWhole(Array("\n \n".utf8)[...]))
        XCTAssertThrowsError(try PreTokenizer(name: "tekken")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unsupported tokenizer.ggml.pre \"tekken\""), message)
            XCTAssertTrue(message.contains("smollm"), message)
        }
    }

    func testCodepointFlags() {
        XCTAssertTrue(CodepointFlags.of(0x61).isLetter)
        XCTAssertTrue(CodepointFlags.of(0x4F60).isLetter)      // 你
        XCTAssertTrue(CodepointFlags.of(0x0663).isNumber)      // Arabic-Indic 3
        XCTAssertTrue(CodepointFlags.of(0x00BD).isNumber)      // ½
        XCTAssertTrue(CodepointFlags.of(0x3000).isWhitespace)  // ideographic space
        XCTAssertTrue(CodepointFlags.of(0x0085).isWhitespace)
        XCTAssertFalse(CodepointFlags.of(0x200B).isWhitespace) // zero-width space is a format character
        XCTAssertTrue(CodepointFlags.of(0x1F600).isOther)      // 😀
        XCTAssertTrue(CodepointFlags.of(0x0301).contains(.accentMark))
        XCTAssertTrue(CodepointFlags.of(0x0378).contains(.undefined))
        XCTAssertTrue(CodepointFlags.of(0x0378).isOther)       // unassigned still counts as "other"
        // Letters added after Unicode 15.1 are unassigned in llama.cpp's tables, and so here.
        XCTAssertEqual(CodepointFlags.of(0x1C89), .undefined)  // CYRILLIC CAPITAL LETTER TJE (Unicode 16)
        XCTAssertEqual(CodepointFlags.of(0x105C0), .undefined) // TODHRI LETTER A (Unicode 16)
    }
}
