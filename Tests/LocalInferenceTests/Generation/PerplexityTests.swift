import Foundation
import XCTest
@testable import LocalInference

/// A model that always predicts "the next id" (token + 1 mod V) with logit `lead`, everything else 0,
/// and records what it was asked to evaluate.
private final class SuccessorModel: TokenPredictor {
    let vocabularySize: Int
    let contextLength: Int
    let lead: Float
    private(set) var position = 0
    /// Every window as evaluated from an empty context.
    private(set) var windows: [[Int32]] = []
    /// (tokens of the last evaluate, vocabularySize), rows kept as `evaluate` asked.
    private var rows: [[Float]?] = []

    init(vocabularySize: Int, contextLength: Int, lead: Float) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.lead = lead
    }

    func reset() {
        position = 0
        windows.append([])
    }

    func evaluate(_ tokens: [Int32], allLogits: Bool) throws {
        precondition(position + tokens.count <= contextLength)
        windows[windows.count - 1] += tokens
        position += tokens.count
        rows = tokens.enumerated().map { index, token in
            guard allLogits || index == tokens.count - 1 else { return nil }
            var row = [Float](repeating: 0, count: vocabularySize)
            row[(Int(token) + 1) % vocabularySize] = lead
            return row
        }
    }

    func logits(at index: Int) -> UnsafeBufferPointer<Float> {
        let row = rows[index < 0 ? rows.count + index : index]!
        return row.withUnsafeBufferPointer { UnsafeBufferPointer(start: $0.baseAddress, count: $0.count) }
    }
}

final class PerplexityTests: XCTestCase {
    private func tokenizer(addBOS: Bool) throws -> Tokenizer {
        let tokens = ["<unk>", "<s>", "</s>"] + (3..<16).map { "t\($0)" }
        return try Tokenizer(configuration: TokenizerConfiguration(
            model: .llama, tokens: tokens, scores: [Float](repeating: 0, count: tokens.count),
            tokenTypes: [2, 3, 3] + [Int32](repeating: 1, count: tokens.count - 3),
            bosID: 1, eosID: 2, unknownID: 0, addBOS: addBOS))
    }

    /// 0, 1, 2, … mod 16: every next token is the model's favourite.
    private func successorText(_ count: Int) -> [Int32] { (0..<count).map { Int32($0 % 16) } }

    func testScoresTheSecondHalfOfEachFullWindow() throws {
        let model = SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 2)
        let perplexity = Perplexity(predictor: model, tokenizer: try tokenizer(addBOS: false))
        let result = try perplexity.measure(tokens: successorText(27))
        XCTAssertEqual(result.windows, 3)              // ⌊27 / 8⌋; the tail of 3 is left out
        XCTAssertEqual(result.scoredTokens, 3 * 3)     // positions 4, 5, 6 predict 5, 6, 7
        XCTAssertEqual(result.tokens, 27)
        XCTAssertEqual(result.context, 8)
        // Every scored token has probability e²/(e² + 15).
        XCTAssertEqual(result.perplexity, (exp(2.0) + 15) / exp(2.0), accuracy: 1e-5)
        XCTAssertEqual(result.standardError, 0, accuracy: 1e-9)
        XCTAssertEqual(model.windows, [Array(successorText(8)), Array(successorText(16)[8...]),
                                       Array(successorText(24)[16...])])
    }

    func testTheFirstTokenOfEachWindowBecomesBOSWhenTheVocabularyAddsIt() throws {
        let model = SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 2)
        let perplexity = Perplexity(predictor: model, tokenizer: try tokenizer(addBOS: true))
        let text = successorText(16)
        _ = try perplexity.measure(tokens: text)
        XCTAssertEqual(model.windows.map(\.first), [1, 1])
        XCTAssertEqual(model.windows[1].dropFirst(), text[9...])
    }

    func testOnlyTheTargetsDecideTheResult() throws {
        // Break the successor chain inside the scored half of the second window.
        var text = successorText(16)
        text[14] = 9   // predicted from position 13 (token 13 → favourite 14); 9 is one of the 15 others
        let model = SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 2)
        let result = try Perplexity(predictor: model, tokenizer: try tokenizer(addBOS: false)).measure(tokens: text)
        let good = log((exp(2.0) + 15) / exp(2.0))
        let bad = log(exp(2.0) + 15)
        // Scored: positions 4, 5, 6 of each window. Position 13 now misses its target (9), and position 14,
        // holding 9, favours 10 but must predict 15: two misses out of six.
        XCTAssertEqual(result.perplexity, exp((4 * good + 2 * bad) / 6), accuracy: 1e-5)
        XCTAssertGreaterThan(result.standardError, 0)
    }

    func testTheVisitingPathGivesTheSameFigureAndSeesEveryPosition() throws {
        let text = successorText(24)
        let plain = try Perplexity(predictor: SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 1.5),
                                   tokenizer: try tokenizer(addBOS: false)).measure(tokens: text)
        var seen: [Int] = []
        let visited = try Perplexity(predictor: SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 1.5),
                                     tokenizer: try tokenizer(addBOS: false))
            .measure(tokens: text, progress: nil) { start, offset, logits in
                XCTAssertEqual(logits.count, 16)
                seen.append(start + offset)
            }
        XCTAssertEqual(plain, visited)
        XCTAssertEqual(seen, Array(0..<24))
    }

    func testTooShortATextIsAClearError() throws {
        let perplexity = Perplexity(predictor: SuccessorModel(vocabularySize: 16, contextLength: 8, lead: 1),
                                    tokenizer: try tokenizer(addBOS: false))
        XCTAssertThrowsError(try perplexity.measure(tokens: successorText(15))) {
            XCTAssertEqual($0 as? PerplexityError, .textTooShort(tokens: 15, context: 8))
            XCTAssertTrue("\($0)".contains("at least 16"), "\($0)")
        }
    }
}
