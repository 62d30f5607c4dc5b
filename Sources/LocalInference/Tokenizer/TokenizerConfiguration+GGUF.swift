// MARK: - Reading `tokenizer.ggml.*` from a GGUF file

extension TokenizerConfiguration {
    /// Reads the tokenizer fields of a model's metadata; a missing required field or a value of the wrong
    /// type is an error naming the key.
    public init(metadata: [String: GGUFValue]) throws {
        func string(_ key: String) throws -> String? {
            guard let value = metadata[key] else { return nil }
            guard let text = value.stringValue else { throw TokenizerError.invalidField(key, reason: "expected a string, found \(value.valueType)") }
            return text
        }
        func id(_ key: String) throws -> Int32? {
            guard let value = metadata[key] else { return nil }
            guard let number = value.intValue, let id = Int32(exactly: number) else {
                throw TokenizerError.invalidField(key, reason: "expected a token id, found \(value)")
            }
            return id
        }
        func bool(_ key: String) throws -> Bool? {
            guard let value = metadata[key] else { return nil }
            guard let flag = value.boolValue else { throw TokenizerError.invalidField(key, reason: "expected a bool, found \(value)") }
            return flag
        }
        func strings(_ key: String) throws -> [String]? {
            guard let value = metadata[key] else { return nil }
            guard let list = value.stringArray else { throw TokenizerError.invalidField(key, reason: "expected an array of strings") }
            return list
        }

        guard let modelName = try string("tokenizer.ggml.model") else { throw TokenizerError.missingField("tokenizer.ggml.model") }
        guard let model = Model(rawValue: modelName) else { throw TokenizerError.unsupportedModel(modelName) }
        guard let tokens = try strings("tokenizer.ggml.tokens") else { throw TokenizerError.missingField("tokenizer.ggml.tokens") }

        var scores: [Float] = []
        if let value = metadata["tokenizer.ggml.scores"] {
            guard let list = value.floatArray else {
                throw TokenizerError.invalidField("tokenizer.ggml.scores", reason: "expected an array of numbers")
            }
            scores = list
        }
        var tokenTypes: [Int32] = []
        if let value = metadata["tokenizer.ggml.token_type"] {
            let types = value.intArray?.compactMap { Int32(exactly: $0) }
            guard let types, types.count == value.arrayValue?.count else {
                throw TokenizerError.invalidField("tokenizer.ggml.token_type", reason: "expected an array of int32")
            }
            tokenTypes = types
        }
        var merges: [String] = []
        if model != .llama {
            guard let list = try strings("tokenizer.ggml.merges") else { throw TokenizerError.missingField("tokenizer.ggml.merges") }
            merges = list
        }

        self.init(model: model, preTokenizer: try string("tokenizer.ggml.pre"), tokens: tokens, scores: scores,
                  tokenTypes: tokenTypes, merges: merges,
                  bosID: try id("tokenizer.ggml.bos_token_id"), eosID: try id("tokenizer.ggml.eos_token_id"),
                  unknownID: try id("tokenizer.ggml.unknown_token_id"),
                  paddingID: try id("tokenizer.ggml.padding_token_id"),
                  eotID: try id("tokenizer.ggml.eot_token_id"), eomID: try id("tokenizer.ggml.eom_token_id"),
                  addBOS: try bool("tokenizer.ggml.add_bos_token"), addEOS: try bool("tokenizer.ggml.add_eos_token"),
                  addSpacePrefix: try bool("tokenizer.ggml.add_space_prefix"))
    }
}

extension Tokenizer {
    /// The tokenizer a GGUF model file describes in its `tokenizer.ggml.*` metadata.
    public convenience init(file: GGUFFile) throws {
        try self.init(configuration: TokenizerConfiguration(metadata: file.metadata))
    }
}
