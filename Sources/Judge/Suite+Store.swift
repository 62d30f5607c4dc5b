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

extension JudgeSpec {
    /// The template this judge section names — a built-in, or the user's file — in its verdict mode.
    ///
    /// With `verdict: logprobs` and no template named, that is `pairwise-logprobs`; the template's
    /// ``JudgeTemplate/format`` then carries the mode to ``ComparisonPlan`` and ``JudgingRun`` (the
    /// request asks for one token with `logprobs`, and the keys differ from text verdicts').
    ///
    /// - Throws: ``TemplateError``, also when the template and the mode do not go together.
    public func loadTemplate() throws -> JudgeTemplate {
        if let templateFile { return try JudgeTemplate.load(file: URL(fileURLWithPath: templateFile), verdict: verdict) }
        let loaded = try JudgeTemplate.named(template)
        switch (verdict, loaded.format.readsLogprobs) {
        case (.logprobs, false):
            let oneToken = JudgeTemplate.builtIn.values.filter(\.format.readsLogprobs).map(\.id).sorted()
            throw TemplateError(message: "judge.template \(template) asks for a written verdict, but judge.verdict is logprobs: use template \(oneToken.joined(separator: " or ")) (the default with verdict: logprobs), a template_file, or verdict: text")
        case (.text, true):
            throw TemplateError(message: "judge.template \(template) asks for a one-token verdict read from logprobs: add verdict: logprobs to the judge section, or choose a text template (pairwise, pairwise-graded, pairwise-reference)")
        default:
            return loaded
        }
    }
}

extension JudgeSpec {
    /// The judge configuration this section judges under: its model, its template in its verdict mode,
    /// its temperature and its max_tokens as sent (1 for a logprob verdict). Readers rate this one by
    /// default.
    ///
    /// - Throws: ``TemplateError`` as ``loadTemplate()`` does.
    public func configuration() throws -> JudgeConfiguration {
        ComparisonPlan.Settings(template: try loadTemplate(), judgeModel: model, temperature: temperature,
                                maxTokens: maxTokens).configuration
    }
}
