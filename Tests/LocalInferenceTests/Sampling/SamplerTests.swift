import Foundation
import XCTest
@testable import LocalInference

final class SamplerTests: XCTestCase {
    // MARK: - Helpers

    private func sample(_ sampler: Sampler, _ logits: [Float]) -> Int32 {
        logits.withUnsafeBufferPointer { sampler.sample($0) }
    }

    /// How often each token comes out in `draws` draws (the sampler's stream runs on, unseeded between draws).
    private func histogram(_ parameters: SamplingParameters, _ logits: [Float], draws: Int) throws -> [Int] {
        let sampler = try Sampler(parameters: parameters, vocabularySize: logits.count)
        sampler.reset(history: [])
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<draws { counts[Int(sample(sampler, logits))] += 1 }
        return counts
    }

    /// Logits whose softmax is exactly `probabilities`.
    private func logits(_ probabilities: [Double]) -> [Float] {
        probabilities.map { Float(log($0)) }
    }

    private func random(_ parameters: SamplingParameters = SamplingParameters(topK: 0, topP: 1, minP: 0)) -> SamplingParameters {
        parameters
    }

    // MARK: - Greedy

    func testGreedyPicksTheLargestLogitAndTheLowestIdOnATie() throws {
        let sampler = try Sampler(parameters: .greedy, vocabularySize: 5)
        XCTAssertEqual(sample(sampler, [0.1, 2.5, -1, 2.4, 0]), 1)
        XCTAssertEqual(sample(sampler, [3, 1, 3, 0, 3]), 0)
        XCTAssertEqual(sample(sampler, [-5, -4, -3, -2, -2]), 3)
    }

    // MARK: - Repetition penalty

    func testPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() throws {
        var parameters = SamplingParameters.greedy
        parameters.repeatPenalty = 2
        let sampler = try Sampler(parameters: parameters, vocabularySize: 4)
        // Token 0 (3.0 → 1.5) loses to token 1 (2.0), however often 0 repeats in the window.
        sampler.reset(history: [0, 0, 0, 0])
        XCTAssertEqual(sample(sampler, [3.0, 2.0, 0, 0]), 1)
        // Negative logits are multiplied: token 2 (-1 → -2) falls below token 3 (-1.5).
        sampler.reset(history: [2])
        XCTAssertEqual(sample(sampler, [-9, -9, -1.0, -1.5]), 3)
        // Without the token in the window nothing changes.
        sampler.reset(history: [3])
        XCTAssertEqual(sample(sampler, [3.0, 2.0, 0, 0]), 0)
    }

    func testPenaltyLooksOnlyAtTheLastNTokens() throws {
        var parameters = SamplingParameters.greedy
        parameters.repeatPenalty = 2
        parameters.repeatLastN = 2
        let sampler = try Sampler(parameters: parameters, vocabularySize: 4)
        sampler.reset(history: [0, 3, 3])   // 0 has left the window of 2
        XCTAssertEqual(sample(sampler, [3.0, 2.0, 0, 0]), 0)
        sampler.accept(0)                   // back in the window
        XCTAssertEqual(sample(sampler, [3.0, 2.0, 0, 0]), 1)
        parameters.repeatLastN = 0          // 0 disables the penalty
        try sampler.reset(parameters: parameters, history: [0, 0])
        XCTAssertEqual(sample(sampler, [3.0, 2.0, 0, 0]), 0)
    }

    // MARK: - Filters

    func testTopKOneIsGreedyWhateverTheSeed() throws {
        for seed in UInt64(0)..<20 {
            let counts = try histogram(SamplingParameters(temperature: 1.5, topK: 1, topP: 1, minP: 0, seed: seed),
                                       [0.5, 1.0, 0.9, 0.2], draws: 20)
            XCTAssertEqual(counts, [0, 20, 0, 0])
        }
    }

    func testTopKKeepsExactlyTheKBest() throws {
        let counts = try histogram(SamplingParameters(temperature: 1, topK: 2, topP: 1, minP: 0, seed: 3),
                                   logits([0.1, 0.4, 0.2, 0.3]), draws: 4_000)
        XCTAssertEqual(counts[0], 0)
        XCTAssertEqual(counts[2], 0)
        // Renormalized over {1, 3}: 4/7 and 3/7.
        XCTAssertEqual(Double(counts[1]) / 4_000, 4.0 / 7.0, accuracy: 0.03)
        XCTAssertEqual(Double(counts[3]) / 4_000, 3.0 / 7.0, accuracy: 0.03)
    }

    func testTopPKeepsTheSmallestPrefixReachingP() throws {
        let probabilities = [0.05, 0.5, 0.15, 0.3]
        // Sorted: 0.5, 0.3 (cumulative 0.8 ≥ 0.7) → only tokens 1 and 3 survive.
        let counts = try histogram(SamplingParameters(temperature: 1, topK: 0, topP: 0.7, minP: 0, seed: 11),
                                   logits(probabilities), draws: 4_000)
        XCTAssertEqual(counts[0], 0)
        XCTAssertEqual(counts[2], 0)
        XCTAssertEqual(Double(counts[1]) / 4_000, 0.5 / 0.8, accuracy: 0.03)
        // p = 0.85 needs the third token too.
        let wider = try histogram(SamplingParameters(temperature: 1, topK: 0, topP: 0.85, minP: 0, seed: 11),
                                  logits(probabilities), draws: 4_000)
        XCTAssertEqual(wider[0], 0)
        XCTAssertGreaterThan(wider[2], 0)
    }

    func testMinPDropsTokensBelowAFractionOfTheBest() throws {
        // Threshold 0.25 × 0.5 = 0.125: 0.15 stays, 0.05 goes.
        let counts = try histogram(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.25, seed: 5),
                                   logits([0.05, 0.5, 0.15, 0.3]), draws: 4_000)
        XCTAssertEqual(counts[0], 0)
        XCTAssertGreaterThan(counts[2], 0)
        XCTAssertEqual(Double(counts[2]) / 4_000, 0.15 / 0.95, accuracy: 0.03)
    }

    func testMinPAfterTopKWorksOnTheSortedSet() throws {
        let counts = try histogram(SamplingParameters(temperature: 1, topK: 3, topP: 1, minP: 0.4, seed: 5),
                                   logits([0.05, 0.5, 0.15, 0.3]), draws: 2_000)
        XCTAssertEqual(counts[0], 0)
        XCTAssertEqual(counts[2], 0)  // 0.15 < 0.4 × 0.5
        XCTAssertEqual(counts[1] + counts[3], 2_000)
    }

    // MARK: - Temperature and the draw

    func testDrawFollowsTheTemperedSoftmax() throws {
        let raw: [Float] = [1.0, 2.0, 0.0, 1.5]
        let temperature: Float = 0.7
        let counts = try histogram(SamplingParameters(temperature: temperature, topK: 0, topP: 1, minP: 0, seed: 99),
                                   raw, draws: 20_000)
        let weights = raw.map { exp(Double($0 / temperature)) }
        let total = weights.reduce(0, +)
        for (token, weight) in weights.enumerated() {
            XCTAssertEqual(Double(counts[token]) / 20_000, weight / total, accuracy: 0.015, "token \(token)")
        }
    }

    func testSameSeedSameTokensDifferentSeedDifferentTokens() throws {
        let logits: [Float] = (0..<64).map { Float(($0 * 37) % 11) * 0.3 }
        func run(seed: UInt64) throws -> [Int32] {
            let sampler = try Sampler(parameters: SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: seed),
                                      vocabularySize: logits.count)
            sampler.reset(history: [])
            return (0..<50).map { _ in sample(sampler, logits) }
        }
        XCTAssertEqual(try run(seed: 1234), try run(seed: 1234))
        XCTAssertNotEqual(try run(seed: 1234), try run(seed: 1235))
        // A reset restarts the stream.
        let sampler = try Sampler(parameters: SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 1234),
                                  vocabularySize: logits.count)
        sampler.reset(history: [])
        let first = (0..<50).map { _ in sample(sampler, logits) }
        sampler.reset(history: [])
        XCTAssertEqual((0..<50).map { _ in sample(sampler, logits) }, first)
    }

    // MARK: - Validation

    func testOutOfRangeParametersAreRejectedByName() {
        XCTAssertThrowsError(try Sampler(parameters: SamplingParameters(topP: 0), vocabularySize: 4)) {
            XCTAssertTrue("\($0)".contains("top-p"), "\($0)")
        }
        XCTAssertThrowsError(try SamplingParameters(minP: 1.5).validate())
        XCTAssertThrowsError(try SamplingParameters(repeatPenalty: 0).validate())
        XCTAssertThrowsError(try SamplingParameters(topK: -1).validate())
        XCTAssertThrowsError(try SamplingParameters(temperature: .nan).validate())
        XCTAssertNoThrow(try SamplingParameters.greedy.validate())
    }
}
