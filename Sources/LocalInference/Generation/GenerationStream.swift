// MARK: - GenerationStream

/// The steps of one completion, pulled one at a time; stop pulling to cancel.
///
/// Each `next()` evaluates the previous token, samples the next one and returns it with the text it
/// releases. The last step carries the `finishReason`; `next()` then returns nil.
public final class GenerationStream {
    public let promptTokenCount: Int
    /// Tokens sampled so far, the end-of-generation token included.
    public private(set) var completionTokenCount = 0
    /// Set once the last step has been returned.
    public private(set) var finishReason: FinishReason?

    private let generator: Generator
    private let id: UInt64
    private let parameters: GenerationParameters
    private var decoder: StreamingDecoder
    private var stopFilter: StopStringFilter
    /// The token sampled by the previous step, not yet fed to the model.
    private var unevaluated: Int32?

    /// The generator this stream runs on (a `BatchGenerator` finds the stream's sequence through it).
    var owner: Generator { generator }
    /// The token the next step must evaluate first, if the stream is still live and current.
    var pendingToken: Int32? { finishReason == nil && generator.activeStream == id ? unevaluated : nil }

    /// A batched step evaluated `pendingToken` already: the next `next()` only samples.
    func markPendingEvaluated() { unevaluated = nil }

    init(generator: Generator, id: UInt64, promptTokenCount: Int, parameters: GenerationParameters) {
        self.generator = generator
        self.id = id
        self.promptTokenCount = promptTokenCount
        self.parameters = parameters
        decoder = StreamingDecoder(tokenizer: generator.tokenizer)
        stopFilter = StopStringFilter(stopStrings: parameters.stopStrings)
    }

    /// The next step, or nil after the last one.
    public func next() throws -> GenerationStep? {
        guard finishReason == nil else { return nil }
        guard generator.activeStream == id else { throw GenerationError.superseded }
        let predictor = generator.predictor
        if let token = unevaluated {
            try predictor.evaluate([token], allLogits: false)
            unevaluated = nil
        }

        // MARK: Sample
        let logits = predictor.logits(at: -1)
        let token = generator.sampler.sample(logits)
        generator.sampler.accept(token)
        completionTokenCount += 1
        let logprobs = parameters.topLogprobs.map { count -> StepLogprobs in
            let normalizer = LogProbabilities.logSumExp(logits)
            return StepLogprobs(
                chosen: TokenLogprob(token: token, logprob: LogProbabilities.logprob(of: token, in: logits, logSumExp: normalizer)),
                top: LogProbabilities.top(count, in: logits, logSumExp: normalizer))
        }

        // MARK: Stop or go on
        if generator.tokenizer.isEndOfGeneration(token) {
            return finish(token, text: "", logprobs: logprobs, reason: .stop)
        }
        let (text, stopped) = stopFilter.append(decoder.append(token))
        if stopped {
            return finish(token, text: text, logprobs: logprobs, reason: .stop, flush: false)
        }
        if completionTokenCount >= parameters.maxTokens || predictor.position >= predictor.contextLength {
            return finish(token, text: text, logprobs: logprobs, reason: .length)
        }
        unevaluated = token
        return GenerationStep(token: token, text: text, logprobs: logprobs, finishReason: nil)
    }

    /// The last step: releases what the decoder and the stop filter still hold (unless a stop string ended
    /// the text), and records the reason.
    private func finish(_ token: Int32, text: String, logprobs: StepLogprobs?, reason: FinishReason,
                        flush: Bool = true) -> GenerationStep {
        var text = text
        var reason = reason
        if flush {
            let (rest, stopped) = stopFilter.append(decoder.flush())
            text += rest
            if stopped { reason = .stop } else { text += stopFilter.flush() }
        }
        finishReason = reason
        return GenerationStep(token: token, text: text, logprobs: logprobs, finishReason: reason)
    }
}
