import ChatCompletions
import Foundation
import OpenAIWire
import Store
import Suite

extension JudgmentRecord {
    /// Fills in a judge's reply — its text, latency, tokens and cost — and the verdict read from it, or why
    /// none could be read. One definition for replies to direct calls and to Batch API lines, so both land
    /// in the store the same way under the same key.
    ///
    /// - Returns: true when a verdict was read; false when the reply is stored as unparsed.
    mutating func fill(with completion: ChatCompletion, format: VerdictFormat, price: JudgeSpec.Price?) -> Bool {
        rawReply = completion.content
        latency = completion.latencySeconds
        promptTokens = completion.usage?.promptTokens
        completionTokens = completion.usage?.completionTokens
        if let price, let usage = completion.usage {
            cost = price.cost(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens)
        }
        switch JudgingRun.read(completion, format: format) {
        case .verdict(let verdict, let probabilities):
            self.verdict = verdict
            verdictProbabilities = probabilities
            return true
        case .unparsed(let reason):
            unparsed = true
            unparsedReason = reason
            return false
        }
    }
}
