import Foundation

/// What a judging run did, for the closing summary.
public struct JudgingSummary: Sendable, Hashable, CustomStringConvertible {
    /// Judgments in the plan.
    public var planned = 0
    /// Already settled in the store: not sent again.
    public var reused = 0
    /// Identical outputs stored as ties without a call (this run).
    public var identical = 0
    /// Calls sent this run (answered or failed).
    public var sent = 0
    public var parsed = 0
    /// Replies without a verdict: stored with their text, counted, never ties.
    public var unparsed = 0
    /// Calls that failed after retries: stored as failures, retried by the next run.
    public var failed = 0
    /// Judgments not attempted because the run stopped early.
    public var notSent = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// USD spent this run; `nil` when the judge model has no price.
    public var cost: Double?
    /// Why the run stopped before the end; `nil` when it finished.
    public var stopReason: StopReason?

    public init() {}

    /// Why a run stopped scheduling calls.
    public enum StopReason: Sendable, Hashable, CustomStringConvertible {
        /// The judge refused in a way retrying cannot fix (401, 404, …), or the client gave up on it.
        case fatal(String)
        /// Many calls in a row failed after their retries.
        case failuresPersist(count: Int, last: String)
        /// The next call could take spending past `--max-cost`.
        case budget(limit: Double, spent: Double)
        case cancelled

        public var description: String {
            switch self {
            case .fatal(let message): message
            case .failuresPersist(let count, let last):
                "stopped: \(count) judge calls in a row failed after retries (last: \(last)); check the judge server, then run again to retry"
            case .budget(let limit, let spent):
                "stopped: --max-cost \(JudgingSummary.dollars(limit)) reached (spent \(JudgingSummary.dollars(spent)) this run); run again with a higher limit to continue"
            case .cancelled: "stopped: cancelled"
            }
        }
    }

    public var description: String {
        var lines = [
            "judgments: \(planned) planned, \(reused) reused from the store, \(identical) identical-output ties, \(sent) calls sent",
            "calls: \(parsed) verdicts, \(unparsed) unparsed, \(failed) failed" + (notSent > 0 ? ", \(notSent) not sent" : ""),
            "tokens: \(promptTokens) prompt, \(completionTokens) completion; cost: " + (cost.map(Self.dollars) ?? "unknown (no price for this judge model in the suite)"),
        ]
        if let stopReason { lines.append(stopReason.description) }
        return lines.joined(separator: "\n")
    }

    /// Adds another run's counts (a later round of the same command, a shared run's next claim) to these.
    public mutating func merge(_ other: JudgingSummary) {
        planned += other.planned
        reused += other.reused
        identical += other.identical
        sent += other.sent
        parsed += other.parsed
        unparsed += other.unparsed
        failed += other.failed
        notSent += other.notSent
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        if let cost = other.cost { self.cost = (self.cost ?? 0) + cost }
        stopReason = stopReason ?? other.stopReason
    }

    static func dollars(_ value: Double) -> String {
        value < 0.01 && value > 0 ? String(format: "$%.4f", value) : String(format: "$%.2f", value)
    }
}
