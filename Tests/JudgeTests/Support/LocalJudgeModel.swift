import Foundation
import TestSupport

/// The real model for the local-judge tests (SmolLM2-135M-Instruct; see `RealModelFile`).
enum LocalJudgeModel {
    /// A missing model fails the test with the fix.
    static func url() throws -> URL { try RealModelFile.smolLM2() }
}
