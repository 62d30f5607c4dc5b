/// How trustworthy the judge looks on a set of judgments: position and length bias, failures, spend.
///
import Store

/// How trustworthy one judge configuration looks on a set of judgments: position and length bias,
/// failures, spend.
///
/// Built by ``ComparisonReader/health(suites:task:judge:)`` from the same current judgments as
/// ``ComparisonReader/comparisons(suite:task:judge:)``, counted during the scan (so several suites add
/// up in one value). Rates are `nil` when their denominator is zero.
public struct JudgeHealth: Sendable, Hashable, Codable {
    /// Judge calls stored (judgments made by a call; failures included; identical-output ties excluded).
    public var calls = 0
    /// Calls whose reply held a verdict.
    public var parsed = 0
    /// Replies without a verdict: counted, never turned into ties.
    public var unparsed = 0
    /// Calls that failed after the client's retries (retried by the next run).
    public var failed = 0
    /// Parsed verdicts by presented position: the answer shown first won, the second won, tie.
    public var firstPositionWins = 0
    public var secondPositionWins = 0
    public var ties = 0
    /// Resolved comparisons judged in both orders, and how many of them the orders disagreed on.
    public var bothOrderComparisons = 0
    public var orderDisagreements = 0
    /// Resolved, decisive comparisons whose outputs differ in length, and how many the longer one won.
    public var decisiveWithLengthDifference = 0
    public var longerAnswerWins = 0
    /// Ties recorded without a call because both outputs were identical.
    public var identicalOutputTies = 0
    /// Resolved comparisons, and pairs that yielded none (an order unparsed, failed or still missing).
    public var resolvedComparisons = 0
    public var unresolvedComparisons = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// USD, over judgments that have a price.
    public var cost = 0.0
    /// Latency of answered calls, summed in seconds, and how many there were.
    public var latencySum = 0.0
    public var latencyCount = 0

    public init() {}

    /// Mean latency of answered calls, in seconds.
    public var meanLatency: Double? { latencyCount == 0 ? nil : latencySum / Double(latencyCount) }

    /// How often the answer shown first wins among decisive verdicts (0.5 is unbiased).
    public var firstPositionWinRate: Double? {
        let decisive = firstPositionWins + secondPositionWins
        return decisive == 0 ? nil : Double(firstPositionWins) / Double(decisive)
    }

    /// How often the two orders of a pair disagree (flipped verdict or one tie).
    public var orderDisagreementRate: Double? {
        bothOrderComparisons == 0 ? nil : Double(orderDisagreements) / Double(bothOrderComparisons)
    }

    /// How often the longer answer wins a decisive comparison (0.5 is length-neutral).
    public var longerAnswerWinRate: Double? {
        decisiveWithLengthDifference == 0 ? nil : Double(longerAnswerWins) / Double(decisiveWithLengthDifference)
    }
}
