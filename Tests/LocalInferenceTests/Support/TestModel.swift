import Foundation
import TestSupport

/// Where tests find the real model and the committed fixtures.
///
/// A missing model fails the test with the fix, never skips it.
enum TestModel {
    /// SmolLM2-135M-Instruct Q4_1 (Llama architecture, gpt2/smollm tokenizer, ChatML); see `RealModelFile`.
    static func smolLM2() throws -> URL { try RealModelFile.smolLM2() }

    /// A committed fixture under Tests/LocalInferenceTests/Fixtures.
    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name)"])
        }
        return url
    }
}
