/// Who judged, and how: the judge model, the template (id and version, which carries the verdict mode)
/// and the judge's sampling settings. Every judgment belongs to exactly one configuration; ratings are
/// made from the comparisons of one configuration, never from several pooled.
///
/// `temperature` and `maxTokens` are what the judge was sent (`max_tokens` is 1 for a logprob verdict,
/// whatever the suite says, since the reply is one token). They are `nil` on judgments stored before
/// schema v3 recorded them: such rows form a configuration of their own ("settings not recorded"),
/// which a reader can still select, but which no new run reuses or joins — a new run's keys include
/// its settings.
///
/// ```swift
/// let judge = JudgeConfiguration(judgeModel: "gpt-4o", templateID: "pairwise", templateVersion: "v1",
///                                temperature: 0, maxTokens: 1024)
/// ```
public struct JudgeConfiguration: Sendable, Hashable, Codable {
    public var judgeModel: String
    public var templateID: String
    /// `v1`…, or a file template's hash; prefixed `logprobs-` in the logprob verdict mode.
    public var templateVersion: String
    public var temperature: Double?
    public var maxTokens: Int?

    public init(judgeModel: String, templateID: String, templateVersion: String, temperature: Double?, maxTokens: Int?) {
        self.judgeModel = judgeModel
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// How verdicts are read: from the reply's text, or from the log-probabilities of a one-token answer.
    public enum VerdictMode: String, Sendable, Hashable, Codable {
        case text
        case logprobs
    }

    /// The verdict mode, which the template version carries (`logprobs-…`).
    public var verdictMode: VerdictMode { templateVersion.hasPrefix("logprobs-") ? .logprobs : .text }

    enum CodingKeys: String, CodingKey {
        case judgeModel = "judge_model"
        case templateID = "template_id"
        case templateVersion = "template_version"
        case temperature
        case maxTokens = "max_tokens"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(judgeModel, forKey: .judgeModel)
        try c.encode(templateID, forKey: .templateID)
        try c.encode(templateVersion, forKey: .templateVersion)
        try c.encode(temperature, forKey: .temperature)   // null: not recorded
        try c.encode(maxTokens, forKey: .maxTokens)
        var mode = encoder.container(keyedBy: DerivedKeys.self)
        try mode.encode(verdictMode, forKey: .verdict)
    }

    /// Written for readers of `ratings.json`, never read back (it follows from the template version).
    private enum DerivedKeys: String, CodingKey { case verdict }
}
