import Foundation

// MARK: - TokenLogprob

/// A token with its log-probability under the model's distribution (natural log, before any sampling filter).
public struct TokenLogprob: Sendable, Equatable, Codable {
    public let token: Int32
    public let logprob: Float

    public init(token: Int32, logprob: Float) {
        self.token = token
        self.logprob = logprob
    }
}

// MARK: - LogProbabilities

/// Log-softmax over one position's logits: what `logprobs`/`top_logprobs` report and what a local judge
/// reads to weigh "A" against "B".
///
/// ```swift
/// let normalizer = LogProbabilities.logSumExp(logits)
/// let pA = exp(LogProbabilities.logprob(of: idA, in: logits, logSumExp: normalizer))
/// let top5 = LogProbabilities.top(5, in: logits)
/// ```
public enum LogProbabilities {
    /// log Σ exp(logit), accumulated in double precision around the largest logit (llama-perplexity's way).
    public static func logSumExp(_ logits: UnsafeBufferPointer<Float>) -> Double {
        precondition(!logits.isEmpty, "no logits")
        var maxLogit = logits[0]
        for value in logits where value > maxLogit { maxLogit = value }
        var sum = 0.0
        for value in logits { sum += Double(expf(value - maxLogit)) }
        return Double(maxLogit) + log(sum)
    }

    /// The log-probability of `token`; pass `logSumExp` when asking about several tokens of one position.
    public static func logprob(of token: Int32, in logits: UnsafeBufferPointer<Float>, logSumExp: Double? = nil) -> Float {
        precondition(token >= 0 && Int(token) < logits.count, "token \(token) outside the vocabulary (\(logits.count))")
        let normalizer = logSumExp ?? Self.logSumExp(logits)
        return Float(Double(logits[Int(token)]) - normalizer)
    }

    /// The `count` most likely tokens, most likely first (ties: lower id first).
    /// - Complexity: O(vocabulary × count); meant for the handful of alternatives an API reports.
    public static func top(_ count: Int, in logits: UnsafeBufferPointer<Float>, logSumExp: Double? = nil) -> [TokenLogprob] {
        let count = min(max(count, 0), logits.count)
        guard count > 0 else { return [] }
        let normalizer = logSumExp ?? Self.logSumExp(logits)
        var best: [TokenCandidate] = []
        best.reserveCapacity(count + 1)
        for index in 0..<logits.count {
            let candidate = TokenCandidate(id: Int32(index), logit: logits[index])
            if best.count == count {
                guard TokenCandidate.ranksAbove(candidate, best[count - 1]) else { continue }
                best.removeLast()
            }
            var slot = best.count
            while slot > 0 && TokenCandidate.ranksAbove(candidate, best[slot - 1]) { slot -= 1 }
            best.insert(candidate, at: slot)
        }
        return best.map { TokenLogprob(token: $0.id, logprob: Float(Double($0.logit) - normalizer)) }
    }
}
