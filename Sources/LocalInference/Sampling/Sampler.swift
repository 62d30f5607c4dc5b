import Foundation

// MARK: - Sampler

/// Picks each next token from the model's logits as `SamplingParameters` say, and remembers the recent
/// tokens for the repetition penalty.
///
/// Every buffer is sized once for the vocabulary, so `sample(_:)` allocates nothing per token. One sampler
/// serves one sequence at a time (it owns that sequence's random stream and penalty window); a batch of
/// sequences uses one sampler each.
///
/// ```swift
/// let sampler = try Sampler(parameters: .greedy, vocabularySize: 49152)
/// sampler.reset(history: promptTokens)
/// let token = sampler.sample(logits)   // logits: (vocabularySize)
/// sampler.accept(token)
/// ```
public final class Sampler {
    public private(set) var parameters: SamplingParameters
    public let vocabularySize: Int
    /// The random stream of the draw, seeded from `parameters.seed` at every reset.
    private var random: Xoshiro256
    /// (vocabularySize) working set of the filters.
    private var candidates: TokenCandidates
    /// The penalty window: the last `repeatLastN` accepted tokens, a ring buffer of (repeatLastN).
    private var window: PenaltyWindow
    /// (vocabularySize) stamp per token id, to penalize a token once however often the window holds it.
    private var penalized: [UInt32]
    private var stamp: UInt32 = 0

    public init(parameters: SamplingParameters, vocabularySize: Int) throws {
        try parameters.validate()
        precondition(vocabularySize > 0, "a vocabulary has at least one token")
        self.parameters = parameters
        self.vocabularySize = vocabularySize
        random = Xoshiro256(seed: parameters.seed)
        candidates = TokenCandidates(vocabularySize: vocabularySize)
        window = PenaltyWindow(capacity: parameters.repeatLastN)
        penalized = [UInt32](repeating: 0, count: vocabularySize)
    }

    // MARK: - Sequence state

    /// Starts a new sequence: reseeds the draw and fills the penalty window with `history` (the prompt),
    /// as llama.cpp does with the prompt's tokens.
    public func reset<History: Sequence>(history: History) where History.Element == Int32 {
        random = Xoshiro256(seed: parameters.seed)
        window.removeAll()
        for token in history { window.append(token) }
    }

    /// Starts a new sequence with other parameters, reusing the buffers.
    public func reset<History: Sequence>(parameters newParameters: SamplingParameters, history: History) throws
    where History.Element == Int32 {
        try newParameters.validate()
        if newParameters.repeatLastN != parameters.repeatLastN {
            window = PenaltyWindow(capacity: newParameters.repeatLastN)
        }
        parameters = newParameters
        reset(history: history)
    }

    /// Records a token that joined the sequence (sampled or forced), for the penalty window.
    public func accept(_ token: Int32) {
        window.append(token)
    }

    // MARK: - The draw

    /// The next token for `logits` (vocabularySize), after penalty, filters and temperature.
    public func sample(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        candidates.load(logits)
        applyRepetitionPenalty()
        if parameters.isGreedy {
            return candidates.best().id
        }
        if parameters.topK > 0 { candidates.keepBest(parameters.topK) }
        if parameters.topP < 1 { applyTopP(parameters.topP) }
        if parameters.minP > 0 { applyMinP(parameters.minP) }
        return draw(temperature: parameters.temperature)
    }

    /// llama.cpp's penalty: each distinct token of the window has its logit divided by the penalty when
    /// positive, multiplied by it otherwise. Runs while the candidates are still in id order.
    private func applyRepetitionPenalty() {
        let penalty = parameters.repeatPenalty
        guard penalty != 1, !window.isEmpty else { return }
        stamp &+= 1
        if stamp == 0 {  // wrapped: clear the stamps so no old one matches
            for index in penalized.indices { penalized[index] = 0 }
            stamp = 1
        }
        for token in window where token >= 0 && Int(token) < vocabularySize {
            let id = Int(token)
            guard penalized[id] != stamp else { continue }
            penalized[id] = stamp
            var candidate = candidates[id]
            candidate.logit = candidate.logit <= 0 ? candidate.logit * penalty : candidate.logit / penalty
            candidates[id] = candidate
        }
    }

    /// Keeps the smallest best-first prefix whose probability (softmax of the current logits) reaches `p`.
    private func applyTopP(_ p: Float) {
        candidates.sort()
        let maxLogit = candidates[0].logit
        var total = 0.0
        for index in 0..<candidates.count { total += Double(expf(candidates[index].logit - maxLogit)) }
        let target = Double(p) * total
        var cumulative = 0.0
        for index in 0..<candidates.count {
            cumulative += Double(expf(candidates[index].logit - maxLogit))
            if cumulative >= target {
                candidates.truncate(to: index + 1)
                return
            }
        }
    }

    /// Keeps the tokens whose probability is at least `p` times the best one's: logit ≥ max + ln p.
    private func applyMinP(_ p: Float) {
        guard candidates.count > 1 else { return }
        let threshold = candidates.best().logit + logf(p)
        if candidates.isSorted {
            var keep = 1
            while keep < candidates.count && candidates[keep].logit >= threshold { keep += 1 }
            candidates.truncate(to: keep)
        } else {
            var kept = 0
            for index in 0..<candidates.count where candidates[index].logit >= threshold {
                candidates[kept] = candidates[index]
                kept += 1
            }
            candidates.truncate(to: max(kept, 1))
        }
    }

    /// One draw from the softmax of logits / temperature over the live candidates.
    private func draw(temperature: Float) -> Int32 {
        let count = candidates.count
        precondition(count > 0, "every filter keeps at least one token")
        if count == 1 { return candidates[0].id }
        let maxLogit = candidates.best().logit
        let inverseTemperature = 1 / temperature
        var total = 0.0
        for index in 0..<count {
            total += Double(expf((candidates[index].logit - maxLogit) * inverseTemperature))
        }
        let target = random.nextUnitDouble() * total
        var cumulative = 0.0
        for index in 0..<count {
            cumulative += Double(expf((candidates[index].logit - maxLogit) * inverseTemperature))
            if target < cumulative { return candidates[index].id }
        }
        return candidates[count - 1].id  // rounding left the target at the very top
    }
}
