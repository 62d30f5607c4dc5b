import XCTest
@testable import LocalInference

final class TokenCandidatesTests: XCTestCase {
    func testKeepBestMatchesAFullSortOnRandomLogits() {
        var random = Xoshiro256(seed: 2024)
        for trial in 0..<50 {
            let size = 1 + Int(random.next() % 300)
            // Few distinct values, so ties are common.
            let logits = (0..<size).map { _ in Float(Int(random.next() % 17)) * 0.25 - 2 }
            let expected = logits.enumerated()
                .map { TokenCandidate(id: Int32($0.offset), logit: $0.element) }
                .sorted(by: TokenCandidate.ranksAbove)
            for k in Set([1, 2, size / 3 + 1, size]).map({ min($0, size) }) {
                var candidates = TokenCandidates(vocabularySize: size)
                logits.withUnsafeBufferPointer { candidates.load($0) }
                candidates.keepBest(k)
                XCTAssertEqual(candidates.count, k)
                XCTAssertTrue(candidates.isSorted)
                for index in 0..<k {
                    XCTAssertEqual(candidates[index].id, expected[index].id, "trial \(trial), k \(k), slot \(index)")
                }
            }
        }
    }

    func testBestScansUnsortedCandidates() {
        var candidates = TokenCandidates(vocabularySize: 4)
        [Float(1), 4, 4, -2].withUnsafeBufferPointer { candidates.load($0) }
        XCTAssertEqual(candidates.best().id, 1)
        XCTAssertFalse(candidates.isSorted)
    }
}
