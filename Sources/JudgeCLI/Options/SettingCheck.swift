import ArgumentParser
import Suite

// MARK: - SettingCheck

/// The command line's side of ``SettingLimits``: each numeric option is checked against the same table as
/// the suite's keys, and the error names the option and the accepted range.
enum SettingCheck {
    /// - Throws: `ValidationError` "--concurrency must be between 1 and 1024 (requests in flight at once), got 0".
    static func check(_ value: Int?, _ limit: SettingLimits.Limit, option: String) throws {
        guard let value, let problem = limit.problem(value) else { return }
        throw ValidationError("\(option) \(problem)")
    }

    static func check(_ value: Double?, in range: ClosedRange<Double>, meaning: String, option: String) throws {
        guard let value, let problem = SettingLimits.problem(value, in: range, meaning: meaning) else { return }
        throw ValidationError("\(option) \(problem)")
    }
}
