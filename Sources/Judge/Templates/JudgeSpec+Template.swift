import Foundation
import Store
import Suite

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
