import Foundation

/// Why candidates could not be generated; each description names the model and says what to do.
public enum CandidateGenerationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A local model's file is missing or unreadable.
    case unreadableModel(path: String, reason: String)
    /// A local model's file is not a model the engine runs (bad GGUF, unsupported architecture, …).
    case unloadableModel(model: String, path: String, reason: String)
    /// A suite's model has no row ids: the suite was not saved to the store first.
    case unsavedSuite(String)
    /// A setting the engine cannot use (out of range, unknown template).
    case invalidSetting(model: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableModel(path, reason):
            return "model file \(path): \(reason); check the model's path: in the suite (relative paths start at the suite's folder)"
        case let .unloadableModel(model, path, reason):
            return "model \(model) (\(path)) cannot be loaded: \(reason)"
        case let .unsavedSuite(name):
            return "suite \(name) is not in the store: save it (JudgeStore.saveSuite) before generating its candidates"
        case let .invalidSetting(model, reason):
            return "model \(model): \(reason); fix the model's settings in the suite"
        }
    }
}
