import Foundation
import XCTest
@testable import LocalInference

final class GeneratorTests: XCTestCase {
    // MARK: - A small SentencePiece vocabulary

    /// `<unk>`, `<s>`, `</s>` (EOS), the bytes of "日" and a newline, and a few words.
    private static let vocabulary: [(text: String, type: Int32)] = [
        ("<unk>", 2), ("<s>", 3), ("</s>", 3), ("<0xE6>", 6), ("<0x97>", 6), ("<0xA5>", 6), ("<0x0A>", 6),
        ("▁Hello", 1), ("▁world", 1), ("!", 1), ("User", 1), (":", 1), ("▁again", 1),
    ]

    private func token(_ text: String) -> Int32 {
        Int32(Self.vocabulary.firstIndex { $0.text == text }!)
    }

    private func makeGenerator(script: [String], fallback: String = "▁again", contextLength: Int = 1_000,
                               lead: Float = 8) throws -> (Generator, ScriptedPredictor) {
        let tokenizer = try Tokenizer(configuration: TokenizerConfiguration(
            model: .llama, tokens: Self.vocabulary.map(\.text),
            scores: [Float](repeating: 0, count: Self.vocabulary.count),
            tokenTypes: Self.vocabulary.map(\.type), bosID: 1, eosID: 2, unknownID: 0))
        let predictor = ScriptedPredictor(vocabularySize: Self.vocabulary.count, script: script.map(token),
                                          fallback: token(fallback), lead: lead, contextLength: contextLength)
        return (try Generator(predictor: predictor, tokenizer: tokenizer), predictor)
    }

    private var prompt: [Int32] { [1, token("User"), token(":")] }

    // MARK: - Finishing

    func testGreedyStopsAtTheEndOfGenerationToken() throws {
        let (generator, predictor) = try makeGenerator(script: ["▁Hello", "▁world", "!", "</s>"])
        let completion = try generator.complete(prompt: prompt, parameters: GenerationParameters(maxTokens: 10))
        XCTAssertEqual(completion.text, " Hello world!")
        XCTAssertEqual(completion.tokens, ["▁Hello", "▁world", "!", "</s>"].map(token))
        XCTAssertEqual(completion.finishReason, .stop)
        XCTAssertEqual(completion.promptTokenCount, 3)
        XCTAssertEqual(completion.completionTokenCount, 4)
        // The end-of-generation token is never fed back to the model.
        XCTAssertEqual(predictor.evaluated, prompt + ["▁Hello", "▁world", "!"].map(token))
    }

    func testMaxTokensEndsWithLength() throws {
        let (generator, predictor) = try makeGenerator(script: ["▁Hello", "▁world", "!", "</s>"])
        let completion = try generator.complete(prompt: prompt, parameters: GenerationParameters(maxTokens: 2))
        XCTAssertEqual(completion.text, " Hello world")
        XCTAssertEqual(completion.finishReason, .length)
        XCTAssertEqual(completion.completionTokenCount, 2)
        XCTAssertEqual(predictor.position, prompt.count + 1, "the last token is not evaluated")
    }

    func testAFullContextEndsWithLength() throws {
        let (generator, _) = try makeGenerator(script: ["▁Hello", "▁world", "!", "</s>"], contextLength: 5)
        let completion = try generator.complete(prompt: prompt, parameters: GenerationParameters(maxTokens: 10))
        // Positions 3 and 4 take "▁Hello" and "▁world"; "!" is sampled but cannot be evaluated.
        XCTAssertEqual(completion.tokens, ["▁Hello", "▁world", "!"].map(token))
        XCTAssertEqual(completion.finishReason, .length)
    }

    func testAStopStringEndsTheTextAndNeverShows() throws {
        let (generator, _) = try makeGenerator(script: ["▁Hello", "!", "<0x0A>", "User", ":", "▁again", "</s>"])
        var parameters = GenerationParameters(maxTokens: 20)
        parameters.stopStrings = ["\nUser:"]
        let stream = try generator.generate(prompt: prompt, parameters: parameters)
        var texts: [String] = []
        while let step = try stream.next() { texts.append(step.text) }
        // "\n" and "User" are held back until ":" completes the stop string.
        XCTAssertEqual(texts, [" Hello", "!", "", "", ""])
        XCTAssertEqual(stream.finishReason, .stop)
        XCTAssertEqual(stream.completionTokenCount, 5)
        XCTAssertNil(try stream.next())
    }

    func testHeldBackTextIsReleasedWhenTheModelEnds() throws {
        let (generator, _) = try makeGenerator(script: ["▁Hello", "<0x0A>", "User", "</s>"])
        var parameters = GenerationParameters(maxTokens: 20)
        parameters.stopStrings = ["\nUser:"]
        let completion = try generator.complete(prompt: prompt, parameters: parameters)
        XCTAssertEqual(completion.text, " Hello\nUser")
        XCTAssertEqual(completion.finishReason, .stop)
    }

    func testACharacterSplitOverByteTokensComesOutWhole() throws {
        let (generator, _) = try makeGenerator(script: ["<0xE6>", "<0x97>", "<0xA5>", "!", "</s>"])
        let stream = try generator.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: 20))
        var texts: [String] = []
        while let step = try stream.next() { texts.append(step.text) }
        XCTAssertEqual(texts, ["", "", "日", "!", ""])
    }

    // MARK: - Log-probabilities

    func testTopLogprobsReportTheModelsDistribution() throws {
        let (generator, predictor) = try makeGenerator(script: ["▁Hello", "</s>"])
        var parameters = GenerationParameters(maxTokens: 5)
        parameters.topLogprobs = 3
        let stream = try generator.generate(prompt: prompt, parameters: parameters)
        let logits = Array(predictor.logits(at: -1))
        let step = try XCTUnwrap(try stream.next())
        let logprobs = try XCTUnwrap(step.logprobs)
        let total = logits.map { exp(Double($0)) }.reduce(0, +)
        XCTAssertEqual(logprobs.chosen.token, token("▁Hello"))
        XCTAssertEqual(Double(logprobs.chosen.logprob), Double(logits[Int(token("▁Hello"))]) - log(total), accuracy: 1e-5)
        XCTAssertEqual(logprobs.top.count, 3)
        XCTAssertEqual(logprobs.top[0], logprobs.chosen)
        XCTAssertGreaterThanOrEqual(logprobs.top[1].logprob, logprobs.top[2].logprob)
    }

    func testScoringCandidatesAfterAPrompt() throws {
        let (generator, _) = try makeGenerator(script: ["▁Hello"], lead: 2)
        let scores = try generator.logprobs(of: [token("▁Hello"), token("▁world")], after: prompt)
        XCTAssertGreaterThan(scores[0], scores[1])
        XCTAssertLessThan(scores[0], 0)
        XCTAssertThrowsError(try generator.logprobs(of: [999], after: prompt))
    }

    // MARK: - Sampling through the generator

    func testTheSameSeedGivesTheSameCompletion() throws {
        // A weak lead, so a temperature of 1.5 wanders off the script.
        func run(seed: UInt64) throws -> [Int32] {
            let (generator, _) = try makeGenerator(script: ["▁Hello", "▁world", "!"], lead: 0.5)
            let sampling = SamplingParameters(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed)
            return try generator.complete(prompt: prompt, parameters: GenerationParameters(maxTokens: 30, sampling: sampling)).tokens
        }
        XCTAssertEqual(try run(seed: 3), try run(seed: 3))
        let runs = try (UInt64(0)..<6).map { try run(seed: $0) }
        XCTAssertGreaterThan(Set(runs.map { $0.description }).count, 1, "different seeds should differ")
    }

    // MARK: - Errors

    func testBadPromptsAndParametersAreRejected() throws {
        let (generator, _) = try makeGenerator(script: [], contextLength: 4)
        XCTAssertThrowsError(try generator.generate(prompt: [], parameters: GenerationParameters())) {
            XCTAssertEqual($0 as? GenerationError, .emptyPrompt)
        }
        XCTAssertThrowsError(try generator.generate(prompt: [1, 7, 8, 9, 10], parameters: GenerationParameters())) {
            XCTAssertEqual($0 as? GenerationError, .promptTooLong(tokens: 5, context: 4))
        }
        XCTAssertThrowsError(try generator.generate(prompt: [1, 500], parameters: GenerationParameters())) {
            XCTAssertEqual($0 as? GenerationError, .tokenOutOfRange(500, vocabularySize: Self.vocabulary.count))
        }
        XCTAssertThrowsError(try generator.generate(prompt: prompt, parameters: GenerationParameters(maxTokens: 0)))
        XCTAssertThrowsError(try generator.generate(prompt: prompt, parameters: GenerationParameters(stopStrings: [""])))
        XCTAssertThrowsError(try generator.generate(
            prompt: prompt, parameters: GenerationParameters(sampling: SamplingParameters(topP: 2)))) {
            XCTAssertTrue("\($0)".contains("top-p"), "\($0)")
        }
    }

    func testANewGenerationSupersedesTheOldStream() throws {
        let (generator, _) = try makeGenerator(script: ["▁Hello", "▁world", "!", "</s>"])
        let old = try generator.generate(prompt: prompt, parameters: GenerationParameters())
        _ = try old.next()
        let new = try generator.generate(prompt: prompt, parameters: GenerationParameters())
        XCTAssertThrowsError(try old.next()) { XCTAssertEqual($0 as? GenerationError, .superseded) }
        XCTAssertEqual(try new.next()?.token, token("▁Hello"))
    }
}
