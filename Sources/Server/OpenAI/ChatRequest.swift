// MARK: - ChatRequest

/// A `POST /v1/chat/completions` body, validated: what to generate plus how to answer (streamed or not,
/// with usage, with log-probabilities). Built only through `init(body:defaultSeed:)`, which throws OpenAI's
/// 400 for the first thing wrong.
struct ChatRequest: Equatable {
    /// The model the client named (echoed in replies); nil when it named none.
    var model: String?
    var completion: CompletionRequest
    var stream = false
    /// `stream_options.include_usage`: a last chunk with `usage` before `[DONE]`.
    var includeUsage = false
    /// Whether `logprobs` was asked for (then `completion.settings.topLogprobs` is 0…20).
    var logprobs: Bool { completion.settings.topLogprobs != nil }

    /// The most alternatives `top_logprobs` may ask for (OpenAI's limit).
    static let maxTopLogprobs = 20
    /// The most stop strings (more than OpenAI's 4: local judges use a few more).
    static let maxStopStrings = 16

    /// Validates a parsed body; `defaultSeed` is used when the request sets none.
    init(body: JSONValue, defaultSeed: UInt64) throws {
        var fields = try FieldReader(body, path: "")
        var settings = GenerationSettings()

        // MARK: Conversation
        guard let messagesValue = fields.value("messages") else { throw APIError.missing("messages") }
        guard case let .array(messageValues) = messagesValue else {
            throw APIError.invalidType("messages", expected: "an array", got: messagesValue)
        }
        guard !messageValues.isEmpty else {
            throw APIError.invalidValue("messages", "the array is empty; send at least one message.")
        }
        let messages = try messageValues.enumerated().map { try Self.turn($1, path: "messages[\($0)]") }
        model = try fields.string("model")

        // MARK: Answer shape
        stream = try fields.bool("stream") ?? false
        if let options = fields.value("stream_options") {
            guard stream else {
                throw APIError.invalidValue("stream_options", "it is only allowed when 'stream' is true.")
            }
            var optionFields = try FieldReader(options, path: "stream_options")
            includeUsage = try optionFields.bool("include_usage") ?? false
            try optionFields.rejectUnknownKeys()
        }
        if let n = try fields.integer("n"), n != 1 {
            throw APIError.invalidValue("n", "\(n) choices were asked for; this server generates exactly one (n=1).")
        }

        // MARK: Length
        let maxTokens = try fields.integer("max_tokens", in: 1...Int.max)
        let maxCompletionTokens = try fields.integer("max_completion_tokens", in: 1...Int.max)
        if let maxTokens, let maxCompletionTokens, maxTokens != maxCompletionTokens {
            throw APIError.invalidValue("max_completion_tokens",
                                        "it is \(maxCompletionTokens) but 'max_tokens' is \(maxTokens); send only one of them.")
        }
        settings.maxTokens = maxCompletionTokens ?? maxTokens
        settings.stop = try Self.stopStrings(fields.value("stop"))

        // MARK: Sampling
        settings.temperature = try fields.number("temperature", expected: "a number from 0 to 2") { (0...2).contains($0) } ?? 1
        settings.topP = try fields.number("top_p", expected: "a number in (0, 1]; use temperature 0 for greedy decoding") {
            $0 > 0 && $0 <= 1
        } ?? 1
        settings.topK = try fields.integer("top_k", in: 0...Int.max) ?? 0
        settings.minP = try fields.number("min_p", expected: "a number from 0 to 1") { (0...1).contains($0) } ?? 0
        settings.repeatPenalty = try fields.number("repeat_penalty", expected: "a number > 0 (1 is off)") { $0 > 0 } ?? 1
        settings.seed = try fields.integer("seed").map { UInt64(bitPattern: Int64($0)) } ?? defaultSeed
        for penalty in ["presence_penalty", "frequency_penalty"] {
            if let value = try fields.number(penalty, expected: "a number from -2 to 2", where: { (-2...2).contains($0) }), value != 0 {
                throw APIError.unsupported(penalty, "this server does not apply it; use 'repeat_penalty' (llama.cpp's) instead.")
            }
        }
        if let bias = fields.value("logit_bias"), bias != .object([]) {
            throw APIError.unsupported("logit_bias", "this server does not bias logits.")
        }
        if let format = fields.value("response_format") {
            var formatFields = try FieldReader(format, path: "response_format")
            guard try formatFields.string("type") == "text" else {
                throw APIError.unsupported("response_format", "only {\"type\": \"text\"} is supported (no JSON mode).")
            }
        }

        // MARK: Log-probabilities
        let logprobs = try fields.bool("logprobs") ?? false
        let topLogprobs = try fields.integer("top_logprobs", in: 0...Self.maxTopLogprobs)
        if topLogprobs != nil && !logprobs {
            throw APIError.invalidValue("top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used.")
        }
        settings.topLogprobs = logprobs ? (topLogprobs ?? 0) : nil

        // MARK: Everything else
        for feature in ["tools", "tool_choice", "functions", "function_call", "parallel_tool_calls", "audio", "modalities",
                        "prediction", "web_search_options", "reasoning_effort"] where fields.value(feature) != nil {
            throw APIError.unsupported(feature, "this server generates plain text only.")
        }
        fields.ignore("user", "metadata", "store", "service_tier")
        try fields.rejectUnknownKeys()
        completion = CompletionRequest(messages: messages, settings: settings)
    }

    // MARK: - Parts

    /// One message: a role we know and text content (a string, or an array of text parts).
    private static func turn(_ value: JSONValue, path: String) throws -> ChatTurn {
        var fields = try FieldReader(value, path: path)
        guard let roleName = try fields.string("role") else { throw APIError.missing("\(path).role") }
        let role: ChatTurn.Role
        switch roleName {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool", "function":
            throw APIError.unsupported("\(path).role", "'\(roleName)' messages need tool calling, which this server does not do.")
        default:
            throw APIError.invalidValue("\(path).role",
                                        "'\(roleName)' is not a role; expected 'system', 'developer', 'user' or 'assistant'.")
        }
        guard let contentValue = fields.value("content") else { throw APIError.missing("\(path).content") }
        let content: String
        switch contentValue {
        case let .string(text):
            content = text
        case let .array(parts):
            content = try parts.enumerated().map { try textPart($1, path: "\(path).content[\($0)]") }.joined()
        default:
            throw APIError.invalidType("\(path).content", expected: "a string or an array of text parts", got: contentValue)
        }
        _ = try fields.string("name")  // a participant's name: accepted, as in OpenAI's API; the template has no slot for it
        try fields.rejectUnknownKeys()
        return ChatTurn(role: role, content: content)
    }

    private static func textPart(_ value: JSONValue, path: String) throws -> String {
        var fields = try FieldReader(value, path: path)
        guard let type = try fields.string("type") else { throw APIError.missing("\(path).type") }
        guard type == "text" else {
            throw APIError.unsupported("\(path).type", "'\(type)' parts are not supported; this model reads text only.")
        }
        guard let text = try fields.string("text") else { throw APIError.missing("\(path).text") }
        try fields.rejectUnknownKeys()
        return text
    }

    /// `stop`: a string or an array of strings, none empty.
    private static func stopStrings(_ value: JSONValue?) throws -> [String] {
        let strings: [String]
        switch value {
        case nil: return []
        case let .string(string)?: strings = [string]
        case let .array(elements)?:
            strings = try elements.enumerated().map { index, element in
                guard case let .string(string) = element else {
                    throw APIError.invalidType("stop[\(index)]", expected: "a string", got: element)
                }
                return string
            }
        case let value?:
            throw APIError.invalidType("stop", expected: "a string or an array of strings", got: value)
        }
        guard strings.count <= maxStopStrings else {
            throw APIError.invalidValue("stop", "\(strings.count) stop strings; at most \(maxStopStrings) are allowed.")
        }
        guard !strings.contains("") else { throw APIError.invalidValue("stop", "a stop string is empty.") }
        return strings
    }
}
