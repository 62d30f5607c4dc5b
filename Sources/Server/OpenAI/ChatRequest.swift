import OpenAIWire

// MARK: - ChatRequest

/// A `POST /v1/chat/completions` body, validated (``ChatCompletionRequest/init(validating:)``), with this
/// server's defaults filled in: what to generate plus how to answer (streamed or not, with usage, with
/// log-probabilities).
struct ChatRequest: Equatable {
    /// The model the client named (echoed in replies); nil when it named none.
    var model: String?
    var completion: CompletionRequest
    var stream = false
    /// `stream_options.include_usage`: a last chunk with `usage` before `[DONE]`.
    var includeUsage = false
    /// Whether `logprobs` was asked for (then `completion.settings.topLogprobs` is 0…20).
    var logprobs: Bool { completion.settings.topLogprobs != nil }

    /// Validates a parsed body; `defaultSeed` is used when the request sets none.
    init(body: JSONValue, defaultSeed: UInt64) throws {
        let request = try ChatCompletionRequest(validating: body)
        model = request.model
        stream = request.stream ?? false
        includeUsage = request.streamOptions?.includeUsage ?? false
        var settings = GenerationSettings()
        settings.maxTokens = request.maxTokens
        settings.stop = request.stop ?? []
        settings.temperature = request.temperature ?? 1
        settings.topP = request.topP ?? 1
        settings.topK = request.topK ?? 0
        settings.minP = request.minP ?? 0
        settings.repeatPenalty = request.repeatPenalty ?? 1
        settings.seed = request.seed.map { UInt64(bitPattern: Int64($0)) } ?? defaultSeed
        settings.topLogprobs = request.logprobs == true ? (request.topLogprobs ?? 0) : nil
        completion = CompletionRequest(messages: request.messages, settings: settings)
    }
}
