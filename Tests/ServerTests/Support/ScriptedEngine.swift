import Foundation
@testable import Server

// MARK: - ScriptedEngine

/// A `CompletionEngine` without a model, for testing the HTTP and scheduling layers exactly: one prompt
/// token per UTF-8 byte of the messages, and a reply that spells `reply` one character per token, each
/// with a made-up log-probability and alternatives.
///
/// `endless` replies never finish by themselves, not even at the end of the context (for cancellation tests); `holdFirstStep` blocks the first
/// `step` until `releaseFirstStep()` (so a test can queue requests behind a running one); `retired` is
/// fulfilled once per retired sequence.
final class ScriptedEngine: CompletionEngine, @unchecked Sendable {
    let modelID = "scripted"
    let contextLength: Int
    let reply: String
    let endless: Bool

    private let lock = NSLock()
    private var batchSizes: [Int] = []
    private var retiredCount = 0
    private let firstStepGate: DispatchSemaphore?
    private var firstStepDone = false
    var onRetire: (() -> Void)?

    init(reply: String = "Hello there!", contextLength: Int = 256, endless: Bool = false, holdFirstStep: Bool = false) {
        self.reply = reply
        self.contextLength = contextLength
        self.endless = endless
        firstStepGate = holdFirstStep ? DispatchSemaphore(value: 0) : nil
    }

    /// Sizes of every batch stepped so far.
    var steppedBatchSizes: [Int] { lock.withLock { batchSizes } }
    var retiredSequences: Int { lock.withLock { retiredCount } }

    func releaseFirstStep() { firstStepGate?.signal() }

    // MARK: - CompletionEngine

    func prepare(_ request: CompletionRequest) throws -> PreparedCompletion {
        let text = request.messages.map { "\($0.role.rawValue): \($0.content)\n" }.joined()
        return PreparedCompletion(promptTokens: text.utf8.map { Int32($0) }, settings: request.settings)
    }

    func makeSequence(for prepared: PreparedCompletion) throws -> any GenerationSequence {
        Sequence(settings: prepared.settings, promptCount: prepared.promptTokens.count)
    }

    func step(_ batch: [any GenerationSequence]) -> [Result<SequenceStep, Error>] {
        lock.withLock { batchSizes.append(batch.count) }
        if let gate = firstStepGate, !lock.withLock({ firstStepDone }) {
            gate.wait()
            lock.withLock { firstStepDone = true }
        }
        if endless { usleep(1000) }  // throttles an endless reply to a model's pace (bounds the buffered steps)
        return batch.map { .success(advance($0 as! Sequence)) }
    }

    func retire(_ sequence: any GenerationSequence) {
        lock.withLock { retiredCount += 1 }
        onRetire?()
    }

    // MARK: - The script

    private func advance(_ sequence: Sequence) -> SequenceStep {
        let characters = Array(reply)
        let character = characters[sequence.generated % characters.count]
        sequence.generated += 1
        let bytes = Array(String(character).utf8)
        var token = GeneratedToken(id: Int32(sequence.generated), bytes: bytes)
        if let top = sequence.settings.topLogprobs {
            token.logprob = -0.25
            token.topAlternatives = (0..<top).map { TokenAlternative(id: Int32($0), bytes: Array("t\($0)".utf8), logprob: -0.25 - Float($0)) }
        }
        var finish: FinishReason?
        if let maxTokens = sequence.settings.maxTokens, sequence.generated >= maxTokens {
            finish = .length
        } else if !endless && sequence.generated == characters.count {
            finish = .stop
        } else if !endless && sequence.promptCount + sequence.generated >= contextLength {
            finish = .length
        }
        return SequenceStep(token: token, text: String(character), finishReason: finish, completionTokens: sequence.generated)
    }

    private final class Sequence: GenerationSequence {
        let settings: GenerationSettings
        let promptCount: Int
        var generated = 0

        init(settings: GenerationSettings, promptCount: Int) {
            self.settings = settings
            self.promptCount = promptCount
        }
    }
}
