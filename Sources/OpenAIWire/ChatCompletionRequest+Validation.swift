// MARK: - Reading a request body

extension ChatCompletionRequest {
    /// The most alternatives `top_logprobs` may ask for (OpenAI's limit).
    public static let maxTopLogprobs = 20
    /// The most stop strings (more than OpenAI's 4: local judges use a few more).
    public static let maxStopStrings = 16

    /// Reads and validates a parsed body, as an OpenAI-compatible server that generates plain text does.
    ///
    /// Every field is checked for type and range; `max_completion_tokens` is read into ``maxTokens``; `n`
    /// must be 1; penalties, logit biases, JSON mode and tools are refused rather than ignored; `user`,
    /// `metadata`, `store` and `service_tier` are accepted and dropped; any other key is refused. OpenAI's
    /// `developer` role reads as `system`, and content given as text parts is joined.
    ///
    /// - Throws: ``APIError`` (400) for the first thing wrong, naming the parameter.
    public init(validating body: JSONValue) throws {
        var fields = try FieldReader(body, path: "")

        // MARK: Conversation
        guard let messagesValue = fields.value(Key.messages.rawValue) else { throw APIError.missing("messages") }
        guard case let .array(messageValues) = messagesValue else {
            throw APIError.invalidType("messages", expected: "an array", got: messagesValue)
        }
        guard !messageValues.isEmpty else {
            throw APIError.invalidValue("messages", "the array is empty; send at least one message.")
        }
        let messages = try messageValues.enumerated().map { try Self.message($1, path: "messages[\($0)]") }
        self.init(model: try fields.string(Key.model.rawValue), messages: messages, temperature: nil)

        // MARK: Answer shape
        stream = try fields.bool(Key.stream.rawValue)
        if let options = fields.value(Key.streamOptions.rawValue) {
            guard stream == true else {
                throw APIError.invalidValue("stream_options", "it is only allowed when 'stream' is true.")
            }
            var optionFields = try FieldReader(options, path: "stream_options")
            streamOptions = StreamOptions(includeUsage: try optionFields.bool(StreamOptions.CodingKeys.includeUsage.rawValue))
            try optionFields.rejectUnknownKeys()
        }
        if let n = try fields.integer("n"), n != 1 {
            throw APIError.invalidValue("n", "\(n) choices were asked for; this server generates exactly one (n=1).")
        }

        // MARK: Length
        let maxTokens = try fields.integer(Key.maxTokens.rawValue, in: 1...Int.max)
        let maxCompletionTokens = try fields.integer("max_completion_tokens", in: 1...Int.max)
        if let maxTokens, let maxCompletionTokens, maxTokens != maxCompletionTokens {
            throw APIError.invalidValue("max_completion_tokens",
                                        "it is \(maxCompletionTokens) but 'max_tokens' is \(maxTokens); send only one of them.")
        }
        self.maxTokens = maxCompletionTokens ?? maxTokens
        stop = try Self.stopStrings(fields.value(Key.stop.rawValue))

        // MARK: Sampling
        temperature = try fields.number(Key.temperature.rawValue, expected: "a number from 0 to 2") { (0...2).contains($0) }
        topP = try fields.number(Key.topP.rawValue, expected: "a number in (0, 1]; use temperature 0 for greedy decoding") {
            $0 > 0 && $0 <= 1
        }
        topK = try fields.integer(Key.topK.rawValue, in: 0...Int.max)
        minP = try fields.number(Key.minP.rawValue, expected: "a number from 0 to 1") { (0...1).contains($0) }
        repeatPenalty = try fields.number(Key.repeatPenalty.rawValue, expected: "a number > 0 (1 is off)") { $0 > 0 }
        seed = try fields.integer(Key.seed.rawValue)
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
        logprobs = try fields.bool(Key.logprobs.rawValue)
        topLogprobs = try fields.integer(Key.topLogprobs.rawValue, in: 0...Self.maxTopLogprobs)
        if topLogprobs != nil && logprobs != true {
            throw APIError.invalidValue("top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used.")
        }

        // MARK: Everything else
        for feature in ["tools", "tool_choice", "functions", "function_call", "parallel_tool_calls", "audio", "modalities",
                        "prediction", "web_search_options", "reasoning_effort"] where fields.value(feature) != nil {
            throw APIError.unsupported(feature, "this server generates plain text only.")
        }
        fields.ignore("user", "metadata", "store", "service_tier")
        try fields.rejectUnknownKeys()
    }

    private typealias Key = CodingKeys

    // MARK: - Parts

    /// One message: a role we know and text content (a string, or an array of text parts).
    private static func message(_ value: JSONValue, path: String) throws -> ChatMessage {
        var fields = try FieldReader(value, path: path)
        guard let roleName = try fields.string("role") else { throw APIError.missing("\(path).role") }
        let role: ChatMessage.Role
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
        return ChatMessage(role: role, content: content)
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
    private static func stopStrings(_ value: JSONValue?) throws -> [String]? {
        let strings: [String]
        switch value {
        case nil: return nil
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
