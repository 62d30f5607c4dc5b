import Store

/// One resolved comparison with everything a reader needs to check the judge: the prompt, both
/// outputs, and each stored judgment's raw reply (the judge's reasoning).
public struct ComparisonSample: Sendable, Hashable {
    public var comparison: ComparisonRecord
    public var prompt: String
    public var reference: String?
    public var outputA: String
    public var outputB: String
    /// The judgments behind the comparison, `ab` (model A shown first) before `ba`.
    public var judgments: [Judgment]

    public struct Judgment: Sendable, Hashable {
        public var position: JudgmentRecord.Position
        /// In presented terms (A = the answer shown first).
        public var verdict: Verdict?
        public var rawReply: String?

        public init(position: JudgmentRecord.Position, verdict: Verdict?, rawReply: String?) {
            self.position = position
            self.verdict = verdict
            self.rawReply = rawReply
        }
    }

    public init(comparison: ComparisonRecord, prompt: String, reference: String?, outputA: String, outputB: String,
                judgments: [Judgment]) {
        self.comparison = comparison
        self.prompt = prompt
        self.reference = reference
        self.outputA = outputA
        self.outputB = outputB
        self.judgments = judgments
    }
}
