import Foundation
import GRDB

/// A row of `judgment`: one judge call (or one call avoided) for one pair on one item in one order.
///
/// `key` is content-addressed — the hash of the judge configuration (judge model, template id and
/// version, temperature, max_tokens), rendered prompt, both outputs and the order — and unique: a repeated or resumed run looks the key up and never sends
/// a stored judgment again. A row with an `error` (the call failed) is the one exception: a later
/// run retries it and replaces the row.
///
/// `modelAID`/`modelBID` are the pair in canonical order; `position` says which was shown first
/// (`ab`: model A first). `verdict` is in presented terms (A = the answer shown first).
public struct JudgmentRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "judgment"
    public var id: Int64?
    public var key: String
    public var itemID: Int64
    public var modelAID: Int64
    public var modelBID: Int64
    public var candidateAID: Int64
    public var candidateBID: Int64
    public var position: Position
    /// 2 when the pair is judged in both orders, 1 when only this one is (or no call was needed).
    public var ordersPlanned: Int
    public var templateID: String
    public var templateVersion: String
    public var judgeModel: String
    /// The judge's sampling temperature and `max_tokens` as sent (1 for a logprob verdict); `nil` on rows
    /// stored before schema v3 recorded them (see ``JudgeConfiguration``).
    public var judgeTemperature: Double?
    public var judgeMaxTokens: Int?
    public var method: Method
    /// The judge's reply text, kept even when no verdict could be read from it.
    public var rawReply: String?
    /// The parsed verdict in presented terms; `nil` when unparsed or failed.
    public var verdict: Verdict?
    /// The reply came back but held no verdict: counted, never turned into a tie.
    public var unparsed: Bool
    /// Why no verdict could be read (no `[[…]]` in the text, no logprobs, no verdict token among the top);
    /// `nil` for verdicts and failures, and for unparsed rows stored before this column existed.
    public var unparsedReason: String?
    /// The probabilities behind a `logprobs`-mode verdict (presented terms); `nil` in text mode.
    /// Setting it sets ``preference``.
    public var verdictProbabilities: VerdictProbabilities? {
        didSet { preference = verdictProbabilities?.preferenceA }
    }
    /// P(the answer shown first is better), ties counting half (``VerdictProbabilities/preferenceA``);
    /// a column of its own so it can be averaged in SQL. `nil` in text mode.
    public private(set) var preference: Double?
    public var latency: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// USD, from the judge model's prices; `nil` when no price is configured.
    public var cost: Double?
    /// Why the call failed (after the client's retries); `nil` on success.
    public var error: String?
    public var createdAt: Date

    /// Which answer the judge saw first.
    public enum Position: String, Codable, Sendable, Hashable, DatabaseValueConvertible {
        /// Model A's output shown as "A".
        case ab
        /// Model B's output shown as "A".
        case ba
    }

    /// How the judgment was obtained.
    public enum Method: String, Codable, Sendable, Hashable, DatabaseValueConvertible {
        /// A judge call.
        case judge
        /// Both outputs were identical: a tie, no call.
        case identical
    }

    enum CodingKeys: String, CodingKey {
        case id, key, position, method, verdict, unparsed, latency, cost, error
        case itemID = "item_id"
        case modelAID = "model_a_id"
        case modelBID = "model_b_id"
        case candidateAID = "candidate_a_id"
        case candidateBID = "candidate_b_id"
        case ordersPlanned = "orders_planned"
        case templateID = "template_id"
        case templateVersion = "template_version"
        case judgeModel = "judge_model"
        case judgeTemperature = "judge_temperature"
        case judgeMaxTokens = "judge_max_tokens"
        case rawReply = "raw_reply"
        case unparsedReason = "unparsed_reason"
        case verdictProbabilities = "verdict_probabilities"
        case preference
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case createdAt = "created_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let key = Column(CodingKeys.key)
        public static let itemID = Column(CodingKeys.itemID)
        public static let error = Column(CodingKeys.error)
        public static let judgeModel = Column(CodingKeys.judgeModel)
    }

    public init(
        id: Int64? = nil, key: String, itemID: Int64, modelAID: Int64, modelBID: Int64,
        candidateAID: Int64, candidateBID: Int64, position: Position, ordersPlanned: Int,
        templateID: String, templateVersion: String, judgeModel: String, judgeTemperature: Double? = nil,
        judgeMaxTokens: Int? = nil, method: Method = .judge,
        rawReply: String? = nil, verdict: Verdict? = nil, unparsed: Bool = false, unparsedReason: String? = nil,
        verdictProbabilities: VerdictProbabilities? = nil, latency: Double? = nil,
        promptTokens: Int? = nil, completionTokens: Int? = nil, cost: Double? = nil, error: String? = nil,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.key = key
        self.itemID = itemID
        self.modelAID = modelAID
        self.modelBID = modelBID
        self.candidateAID = candidateAID
        self.candidateBID = candidateBID
        self.position = position
        self.ordersPlanned = ordersPlanned
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.judgeModel = judgeModel
        self.judgeTemperature = judgeTemperature
        self.judgeMaxTokens = judgeMaxTokens
        self.method = method
        self.rawReply = rawReply
        self.verdict = verdict
        self.unparsed = unparsed
        self.unparsedReason = unparsedReason
        self.verdictProbabilities = verdictProbabilities
        self.preference = verdictProbabilities?.preferenceA
        self.latency = latency
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.error = error
        self.createdAt = createdAt
    }

    /// The judge configuration that made this judgment.
    public var configuration: JudgeConfiguration {
        get {
            JudgeConfiguration(judgeModel: judgeModel, templateID: templateID, templateVersion: templateVersion,
                               temperature: judgeTemperature, maxTokens: judgeMaxTokens)
        }
        set {
            judgeModel = newValue.judgeModel
            templateID = newValue.templateID
            templateVersion = newValue.templateVersion
            judgeTemperature = newValue.temperature
            judgeMaxTokens = newValue.maxTokens
        }
    }

    /// The verdict in canonical terms (A = model A), whichever order it was given in.
    public var canonicalVerdict: Verdict? {
        guard let verdict else { return nil }
        return position == .ab ? verdict : verdict.flipped
    }

    /// P(model A better) in canonical terms, whichever order it was shown in; `nil` in text mode.
    public var canonicalPreference: Double? {
        guard let preference else { return nil }
        return position == .ab ? preference : 1 - preference
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
