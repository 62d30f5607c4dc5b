// MARK: - BatchGenerator

/// Many completions of one model generated together: each sequence has its own `Generator` (sampler, stop
/// strings, KV cache), and one step evaluates the pending token of every running stream in a single
/// batched pass (`SequenceBatch`), so the weights are read once per step for all of them.
///
/// A stream's text is the same as a lone `Generator` would give for the same prompt and parameters (greedy
/// exactly, sampled with the same seed), since sampling stays per sequence.
///
/// ```swift
/// let batch = try BatchGenerator(model: model, tokenizer: tokenizer, sequences: 8, contextLength: 2048)
/// try batch.complete(prompts: prompts, parameters: .init(maxTokens: 128)) { index, result in
///     print(index, try result.get().text)
/// }
/// ```
public final class BatchGenerator {
    public let tokenizer: Tokenizer
    let batch: SequenceBatch
    private var generators: [Generator] = []

    /// - Parameters:
    ///   - sequences: sequences to hold now (`addSequence` adds more).
    ///   - contextLength: positions of each sequence, prompt and completion together; default the model's.
    public init(model: LlamaModel, tokenizer: Tokenizer, sequences: Int, contextLength: Int? = nil) throws {
        self.tokenizer = tokenizer
        batch = try SequenceBatch(model: model, sequences: 0, contextLength: contextLength)
        for _ in 0..<sequences { try addSequence() }
    }

    /// Sequences held.
    public var sequenceCount: Int { generators.count }
    /// Positions of each sequence.
    public var contextLength: Int { batch.contextLength }

    /// Adds a sequence (its KV cache and sampler) and returns its index.
    @discardableResult
    public func addSequence() throws -> Int {
        let index = try batch.addSequence()
        let generator = try Generator(predictor: batch.context(index), tokenizer: tokenizer)
        generator.batchSequence = index
        generators.append(generator)
        return index
    }

    /// The generator of sequence `index`: `generate(prompt:parameters:)` on it evaluates the prompt and
    /// starts that sequence's stream (superseding its previous one).
    public func generator(_ index: Int) -> Generator { generators[index] }

    // MARK: - Stepping

    /// The next step of each stream (nil for a finished one), in order: the pending tokens of all streams
    /// that have one are evaluated in one batched pass first, then each stream samples on its own.
    ///
    /// - Precondition: the streams come from this batch's generators, at most one per sequence.
    public func next(_ streams: [GenerationStream]) -> [Result<GenerationStep?, Error>] {
        var entries: [(sequence: Int, token: Int32)] = []
        entries.reserveCapacity(streams.count)
        for stream in streams {
            guard let token = stream.pendingToken else { continue }
            guard let sequence = stream.owner.batchSequence, generators.indices.contains(sequence),
                  generators[sequence] === stream.owner else {
                preconditionFailure("BatchGenerator.next: a stream of another generator")
            }
            entries.append((sequence, token))
        }
        var failure: Error?
        do {
            try batch.evaluate(entries)
            for stream in streams where stream.pendingToken != nil { stream.markPendingEvaluated() }
        } catch {
            failure = error
        }
        return streams.map { stream in
            if let failure, stream.pendingToken != nil { return .failure(failure) }
            return Result { try stream.next() }
        }
    }

    /// Generates a completion for every prompt, `sequenceCount` at a time: a finished sequence takes the
    /// next waiting prompt while the others go on. `completed` gets each result as it finishes (in finishing
    /// order); an error for one prompt (too long, empty) fails only that prompt. Once `shouldStop` returns
    /// true (checked before every step) it returns at once: the unfinished sequences are dropped unreported,
    /// so an interrupted run loses at most one token of work per sequence, not the rest of their outputs.
    public func complete(prompts: [[Int32]], parameters: GenerationParameters,
                         shouldStop: () -> Bool = { false },
                         completed: (Int, Result<Completion, Error>) throws -> Void) throws {
        guard sequenceCount > 0 else { throw SequenceBatchError.noSuchSequence(0, count: 0) }
        var waiting = prompts.indices.makeIterator()
        /// Per sequence: the prompt index it runs and what it produced so far.
        var running: [(prompt: Int, stream: GenerationStream, text: String, tokens: [Int32], logprobs: [StepLogprobs])?] =
            Array(repeating: nil, count: sequenceCount)

        func start(_ sequence: Int) throws {
            while !shouldStop(), let index = waiting.next() {
                do {
                    let stream = try generators[sequence].generate(prompt: prompts[index], parameters: parameters)
                    running[sequence] = (index, stream, "", [], [])
                    return
                } catch {
                    try completed(index, .failure(error))
                }
            }
            running[sequence] = nil
        }
        for sequence in 0..<sequenceCount { try start(sequence) }

        while running.contains(where: { $0 != nil }) {
            if shouldStop() { return }
            let live = running.indices.filter { running[$0] != nil }
            let results = next(live.map { running[$0]!.stream })
            for (sequence, result) in zip(live, results) {
                var entry = running[sequence]!
                switch result {
                case let .failure(error):
                    try completed(entry.prompt, .failure(error))
                    try start(sequence)
                case let .success(step?):
                    entry.text += step.text
                    entry.tokens.append(step.token)
                    if let logprobs = step.logprobs { entry.logprobs.append(logprobs) }
                    running[sequence] = entry
                    if let reason = step.finishReason {
                        try completed(entry.prompt, .success(Completion(
                            text: entry.text, tokens: entry.tokens, finishReason: reason,
                            promptTokenCount: prompts[entry.prompt].count, logprobs: entry.logprobs)))
                        try start(sequence)
                    }
                case .success(nil):
                    try start(sequence)
                }
            }
        }
    }
}
