import Foundation

/// Why a model cannot be loaded or run; each description names the key, tensor or value and what to do.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// `general.architecture` names an architecture the engine does not run.
    case unsupportedArchitecture(String, supported: [String])
    /// A required metadata key is absent.
    case missingMetadata(String)
    /// A metadata value has the wrong type or an impossible value.
    case invalidMetadata(key: String, reason: String)
    /// A required tensor is absent.
    case missingTensor(String)
    /// A tensor's shape is not the one the configuration implies.
    case tensorShapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tensor's type is not one the engine computes with.
    case unsupportedTensorType(tensor: String, type: String, supported: [String])
    /// A feature of the model the engine does not implement (e.g. a RoPE scaling type).
    case unsupportedFeature(String)
    /// The requested context length is not usable.
    case invalidContextLength(Int, reason: String)
    /// An evaluation would run past the context.
    case contextFull(position: Int, tokens: Int, contextLength: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(token: Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(name, supported):
            return "unsupported model architecture \"\(name)\" (general.architecture); supported: \(supported.joined(separator: ", "))"
        case let .missingMetadata(key):
            return "model metadata \(key) is missing; the GGUF file is incomplete or for another architecture"
        case let .invalidMetadata(key, reason):
            return "model metadata \(key) is invalid: \(reason)"
        case let .missingTensor(name):
            return "model tensor \(name) is missing; the GGUF file is incomplete or for another architecture"
        case let .tensorShapeMismatch(name, expected, found):
            return "model tensor \(name) has shape \(found), expected \(expected) from the metadata"
        case let .unsupportedTensorType(name, type, supported):
            return "model tensor \(name) has type \(type), which the engine does not support; supported: \(supported.joined(separator: ", ")) (re-quantize the model to one of these)"
        case let .unsupportedFeature(what):
            return "unsupported model feature: \(what)"
        case let .invalidContextLength(n, reason):
            return "invalid context length \(n): \(reason)"
        case let .contextFull(position, tokens, contextLength):
            return "context is full: \(position) tokens held + \(tokens) new exceed the context length \(contextLength); use a larger --context or reset"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token id \(token) is outside the vocabulary (0..<\(vocabularySize))"
        }
    }
}

extension ModelError: LocalizedError {
    public var errorDescription: String? { description }
}
