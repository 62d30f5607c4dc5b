import Foundation
import TestSupport

/// Where these tests find the real model (see `RealModelFile`).
enum TestModel {
    /// SmolLM2-135M-Instruct Q4_1; a missing model fails the test with the fix.
    static func smolLM2() throws -> URL { try RealModelFile.smolLM2() }
}
