import Foundation
import XCTest
@testable import LocalInference

final class LogProbabilitiesTests: XCTestCase {
    func testLogprobsAreTheLogSoftmax() {
        let logits: [Float] = [2, 0.5, -1, 2, 7]
        let expectedTotal = logits.map { exp(Double($0)) }.reduce(0, +)
        logits.withUnsafeBufferPointer { buffer in
            XCTAssertEqual(LogProbabilities.logSumExp(buffer), log(expectedTotal), accuracy: 1e-9)
            for token in 0..<logits.count {
                XCTAssertEqual(Double(LogProbabilities.logprob(of: Int32(token), in: buffer)),
                               Double(logits[token]) - log(expectedTotal), accuracy: 1e-5)
            }
            let top = LogProbabilities.top(3, in: buffer)
            XCTAssertEqual(top.map(\.token), [4, 0, 3])   // tie between 0 and 3: lower id first
            XCTAssertEqual(Double(top[0].logprob), 7 - log(expectedTotal), accuracy: 1e-5)
            XCTAssertEqual(LogProbabilities.top(0, in: buffer), [])
            XCTAssertEqual(LogProbabilities.top(99, in: buffer).count, logits.count)
        }
    }

    func testHugeLogitsDoNotOverflow() {
        let logits: [Float] = [1000, 999, -1000]
        logits.withUnsafeBufferPointer { buffer in
            let logprob = LogProbabilities.logprob(of: 0, in: buffer)
            XCTAssertEqual(Double(logprob), -log(1 + exp(-1.0)), accuracy: 1e-5)
        }
    }
}
