import Foundation
import LocalInference
import Suite

// MARK: - GenerationSettings

/// A model's generation settings with every default filled in: what a candidate's key and its stored
/// `settings` text record, so that the same settings always give the same key.
///
/// Defaults for local models are the engine's (``SamplingParameters``: temperature 0.8, top-k 40,
/// top-p 0.95, min-p 0.05, no repetition penalty, seed 0) and 256 tokens; the seed makes even sampled
/// outputs reproducible. Remote models send only what the suite sets (the server's defaults apply
/// otherwise, and the key says which were unset).
struct GenerationSettings: Sendable, Hashable {
    /// The chat template's name (local only; the model's own when no override).
    var template: String?
    var systemPrompt: String?
    var maxTokens: Int
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var minP: Double?
    var repeatPenalty: Double?
    var seed: Int?

    static let defaultMaxTokens = 256

    /// The settings of a local model, engine defaults filled in; `template` is the rendering template's name.
    static func local(_ spec: ModelSpec, template: String) -> GenerationSettings {
        let engine = SamplingParameters()
        return GenerationSettings(
            template: template, systemPrompt: spec.systemPrompt, maxTokens: spec.maxTokens ?? defaultMaxTokens,
            temperature: spec.sampling.temperature ?? Double(engine.temperature),
            topP: spec.sampling.topP ?? Double(engine.topP), topK: spec.sampling.topK ?? engine.topK,
            minP: spec.sampling.minP ?? Double(engine.minP),
            repeatPenalty: spec.sampling.repeatPenalty ?? Double(engine.repeatPenalty),
            seed: spec.sampling.seed ?? Int(engine.seed))
    }

    /// The settings of a remote model: as the suite gives them.
    static func remote(_ spec: ModelSpec) -> GenerationSettings {
        GenerationSettings(
            template: nil, systemPrompt: spec.systemPrompt, maxTokens: spec.maxTokens ?? defaultMaxTokens,
            temperature: spec.sampling.temperature, topP: spec.sampling.topP, topK: spec.sampling.topK,
            minP: spec.sampling.minP, repeatPenalty: spec.sampling.repeatPenalty, seed: spec.sampling.seed)
    }

    /// The engine's sampling parameters (local models, whose every field is set).
    var sampling: SamplingParameters {
        var parameters = SamplingParameters()
        if let temperature { parameters.temperature = Float(temperature) }
        if let topP { parameters.topP = Float(topP) }
        if let topK { parameters.topK = topK }
        if let minP { parameters.minP = Float(minP) }
        if let repeatPenalty { parameters.repeatPenalty = Float(repeatPenalty) }
        if let seed { parameters.seed = UInt64(seed) }
        return parameters
    }

    /// Sorted-key JSON of the set fields: part of the key, and the candidate's `settings` column.
    var json: String {
        var object: [String: Any] = ["max_tokens": maxTokens]
        if let template { object["template"] = template }
        if let systemPrompt { object["system_prompt"] = systemPrompt }
        if let temperature { object["temperature"] = temperature }
        if let topP { object["top_p"] = topP }
        if let topK { object["top_k"] = topK }
        if let minP { object["min_p"] = minP }
        if let repeatPenalty { object["repeat_penalty"] = repeatPenalty }
        if let seed { object["seed"] = seed }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
