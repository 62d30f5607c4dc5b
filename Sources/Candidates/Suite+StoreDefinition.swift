import Foundation
import Store
import Suite

extension Suite {
    // MARK: - The suite as the store keeps it

    /// The suite's tasks, items and models for ``JudgeStore/saveSuite(_:)``.
    ///
    /// A model's spec is its generation settings as JSON (kind, path, URL, model, key variable *name*,
    /// sampling); never an API key, which only ever lives in the environment.
    public var storeDefinition: SuiteDefinition {
        SuiteDefinition(
            name: name,
            file: file.path,
            tasks: tasks.map { task in
                SuiteDefinition.Task(name: task.name, description: task.description, heldOut: task.heldOut,
                                     items: task.items.map { .init(id: $0.id, prompt: $0.prompt, system: $0.system, reference: $0.reference) })
            },
            models: models.map { SuiteDefinition.Model(name: $0.name, kind: $0.source.kind, spec: $0.specJSON) }
        )
    }
}

extension ModelSpec {
    /// The model's settings as sorted-key JSON text.
    var specJSON: String {
        var object: [String: Any] = ["kind": source.kind]
        switch source {
        case .imported: break
        case .local(let path, let chatTemplate):
            object["path"] = path.path
            if let chatTemplate { object["template"] = chatTemplate }
        case .remote(let url, let model, let apiKeyEnv):
            object["url"] = url
            object["model"] = model
            object["api_key_env"] = apiKeyEnv
        }
        if let systemPrompt { object["system_prompt"] = systemPrompt }
        if let maxTokens { object["max_tokens"] = maxTokens }
        var sampling: [String: Any] = [:]
        if let v = self.sampling.temperature { sampling["temperature"] = v }
        if let v = self.sampling.topP { sampling["top_p"] = v }
        if let v = self.sampling.topK { sampling["top_k"] = v }
        if let v = self.sampling.minP { sampling["min_p"] = v }
        if let v = self.sampling.repeatPenalty { sampling["repeat_penalty"] = v }
        if let v = self.sampling.seed { sampling["seed"] = v }
        if !sampling.isEmpty { object["sampling"] = sampling }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
