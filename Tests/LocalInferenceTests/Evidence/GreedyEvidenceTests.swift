import Foundation
import XCTest
@testable import LocalInference

/// Issue #2, point 8: greedy completions identical to llama.cpp's for every committed prompt, each chosen
/// because llama.cpp's top-1/top-2 logit margin stays above 1.0 at every step (near-ties legitimately flip).
final class GreedyEvidenceTests: XCTestCase {
    func testGreedyCompletionsMatchLlamaCpp() throws {
        try EvidenceCheck.greedy(.smolLM2)
    }
}
