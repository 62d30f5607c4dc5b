// MARK: - Errors

/// What can stop a report or a leaderboard run; each description says what to do.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, reason: String)
    case badSnapshot(path: String, reason: String)
    case badDate(String)
    case emptyStore(String)
    case noRatings(String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason); check that the output directory is writable and has space"
        case let .badSnapshot(path, reason):
            return "cannot read the leaderboard snapshot \(path): \(reason); fix or remove that file"
        case let .badDate(text):
            return "bad date '\(text)': expected YYYY-MM-DD"
        case let .emptyStore(path):
            return "the store \(path) holds no judgments yet; run `judge compare` first"
        case let .noRatings(reason):
            return "no ratings to report: \(reason)"
        }
    }
}
