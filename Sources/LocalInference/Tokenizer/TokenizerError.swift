/// Why a tokenizer could not be built from a model's metadata; each names the field and what to do.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// A required `tokenizer.ggml.*` key is absent.
    case missingField(String)
    /// A key holds a value of the wrong type or shape.
    case invalidField(String, reason: String)
    /// `tokenizer.ggml.model` names a tokenizer we do not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names split rules we do not implement.
    case unsupportedPreTokenizer(String, supported: [String])

    public var description: String {
        switch self {
        case let .missingField(key):
            return "the model has no \(key): it is not a complete GGUF language model (convert it again with llama.cpp's convert_hf_to_gguf.py)"
        case let .invalidField(key, reason):
            return "invalid \(key): \(reason)"
        case let .unsupportedModel(name):
            let supported = TokenizerConfiguration.Model.allCases.map(\.rawValue).joined(separator: ", ")
            return "unsupported tokenizer.ggml.model \"\(name)\" (supported: \(supported))"
        case let .unsupportedPreTokenizer(name, supported):
            return "unsupported tokenizer.ggml.pre \"\(name)\" (supported: \(supported.joined(separator: ", ")))"
        }
    }
}
