import Foundation
@testable import LocalInference

/// A stand-in model that "wants" to write `script` after any prompt: after n generated tokens its logits
/// favour `script[n]` by `lead` over a fixed, uneven background; past the script it favours `fallback`.
final class ScriptedPredictor: TokenPredictor {
    let vocabularySize: Int
    let contextLength: Int
    private(set) var position = 0
    private(set) var evaluated: [Int32] = []
    private var promptLength: Int?
    private let script: [Int32]
    private let fallback: Int32
    private let lead: Float
    /// (vocabularySize) the current logits.
    private var logits: [Float]

    init(vocabularySize: Int, script: [Int32], fallback: Int32 = 0, lead: Float = 8, contextLength: Int = 1_000) {
        self.vocabularySize = vocabularySize
        self.script = script
        self.fallback = fallback
        self.lead = lead
        self.contextLength = contextLength
        logits = [Float](repeating: 0, count: vocabularySize)
    }

    func reset() {
        position = 0
        evaluated = []
        promptLength = nil
    }

    func evaluate(_ tokens: [Int32], allLogits: Bool) throws {
        precondition(!allLogits, "generation asks only for the last logits")
        precondition(position + tokens.count <= contextLength, "the generator overfilled the context")
        if promptLength == nil { promptLength = tokens.count }
        evaluated += tokens
        position += tokens.count
        let generated = position - promptLength!
        let wanted = generated < script.count ? script[generated] : fallback
        for index in 0..<vocabularySize { logits[index] = Float(index % 5) * 0.25 }
        logits[Int(wanted)] += lead
    }

    func logits(at index: Int) -> UnsafeBufferPointer<Float> {
        precondition(index == -1, "only the last logits are kept")
        return logits.withUnsafeBufferPointer { $0 }  // the array outlives every read: only evaluate rewrites it
    }
}
