import Foundation
import TestSupport
@testable import Server

/// The real model for server tests, loaded once per test process and shared (its weights are mapped; each
/// server makes its own KV caches).
///
/// Where the model is found: `RealModelFile`; a missing model fails the test with the fix, never skips it.
enum RealModel {
    static var repositoryRoot: URL { RealModelFile.repositoryRoot }

    static func url() throws -> URL { try RealModelFile.smolLM2() }

    /// An engine on SmolLM2 with a context of `contextLength` positions per sequence.
    static func engine(contextLength: Int = 512) throws -> LocalEngine {
        try LocalEngine(modelURL: url(), contextLength: contextLength)
    }
}
