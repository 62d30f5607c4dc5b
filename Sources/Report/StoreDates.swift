import Foundation
import Store

// MARK: - The date of a store's newest judgment

/// The calendar date (UTC) of the newest judgment in the given suites — of the judge configuration
/// rated, when one is given: the report's "as of" and the leaderboard's snapshot date, so that the same
/// store always gives the same snapshot (the clock is never read).
public enum StoreDates {
    /// YYYY-MM-DD of ``JudgeStore/newestJudgment(suites:judge:)``, or nil when there is no such judgment.
    public static func newestJudgment(store: JudgeStore, suites: [String], judge: JudgeConfiguration? = nil) throws -> String? {
        try store.newestJudgment(suites: suites, judge: judge).map { LeaderboardDate.fromUnixTime($0.timeIntervalSince1970) }
    }

    /// The same, opening the store at `path` (kept for callers that have a path, not a store).
    public static func newestJudgment(path: String, suites: [String]) throws -> String? {
        try newestJudgment(store: JudgeStore(readingAt: path), suites: suites)
    }
}
