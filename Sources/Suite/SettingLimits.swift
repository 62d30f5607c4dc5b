// MARK: - SettingLimits

/// The accepted range of every numeric setting, whether it comes from the command line or a suite, in one
/// place; every check names the range in its error.
///
/// Unbounded settings crashed or hung judge (issue 18): a `max_tokens` of 2⁶³−1 overflowed the cost
/// estimate, a concurrency of 10¹¹ spun at 100% CPU with every paid call lost, a bootstrap of 10¹² rounds
/// asked for 24 TB, a repeat window of 2⁶³−1 crashed in memset. The limits are far above any real use and
/// low enough that the arithmetic on them (sums and products of counts, tokens and prices) cannot overflow.
/// suites/README.md lists them.
public enum SettingLimits {
    /// A named integer setting and its accepted range.
    public struct Limit: Sendable {
        public let range: ClosedRange<Int>
        /// What the number counts, for the error ("judge calls in flight at once").
        public let meaning: String

        /// Why `value` is refused, or nil: "must be between 1 and 1024 (judge calls in flight at once), got 0".
        public func problem(_ value: Int) -> String? {
            range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound) (\(meaning)), got \(value)"
        }
    }

    /// Judge calls, or generations, in flight at once (`--concurrency`, `judge.concurrency`).
    public static let concurrency = Limit(range: 1...1024, meaning: "requests in flight at once")
    /// Tokens one reply may have (`max_tokens`, `--max-tokens`).
    public static let maxTokens = Limit(range: 1...1_048_576, meaning: "tokens per reply")
    /// Bootstrap resamples for the rating intervals (`--bootstrap`; 0: no intervals).
    public static let bootstrapRounds = Limit(range: 0...100_000, meaning: "bootstrap rounds; 0 for none")
    /// Recent tokens the repetition penalty looks at (`--repeat-last-n`).
    public static let repeatLastN = Limit(range: 0...1_048_576, meaning: "recent tokens penalized")
    /// Judge calls a store may hold for one judge (`--budget`).
    public static let budget = Limit(range: 1...100_000_000, meaning: "judge calls")
    /// Candidates kept per sampling step (`top_k`, `--top-k`; 0: all).
    public static let topK = Limit(range: 0...1_048_576, meaning: "candidate tokens; 0 for all")
    /// Seeds (`seed`, `--seed`).
    public static let seed = Limit(range: 0...Int(UInt32.max), meaning: "a seed")
    /// Open connections to `judge serve` (`--max-connections`).
    public static let connections = Limit(range: 1...65_536, meaning: "open connections")
    /// Positions per sequence (`--context`).
    public static let contextLength = Limit(range: 1...1_048_576, meaning: "tokens of context")

    /// USD per million tokens (`judge.prices`), and the most a run may spend (`--max-cost`).
    public static let price: ClosedRange<Double> = 0...1_000_000
    public static let maxCost: ClosedRange<Double> = 0...1_000_000_000
    /// Waits in seconds (`judge serve --grace`).
    public static let seconds: ClosedRange<Double> = 0...86_400

    /// Why `value` is refused for a price-like setting, or nil.
    public static func problem(_ value: Double, in range: ClosedRange<Double>, meaning: String) -> String? {
        value.isFinite && range.contains(value)
            ? nil : "must be between \(format(range.lowerBound)) and \(format(range.upperBound)) (\(meaning)), got \(value)"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
