import Foundation

// MARK: - The nightly leaderboard: dated snapshots, change since the previous one, one atomic switch

/// Writes a leaderboard directory from the current ratings:
///
///     DIR/runs/run-000042/report.html  report.md  ratings.json  ratings.csv  history/YYYY-MM-DD.json …
///     DIR/latest -> runs/run-000042          switched by one rename(2) when a run is complete
///     DIR/report.html -> latest/report.html  (and report.md, ratings.json, ratings.csv, history)
///
/// Each run writes a fresh directory, with the whole dated history (one snapshot per run, dated by the
/// newest judgment) copied forward, and then replaces the `latest` symlink in one rename: a reader that
/// resolves `latest` once (`readlink`, or opening the directory) and reads every file from that run never
/// sees files from two runs, even while the next run is being written. The top-level names are fixed
/// symlinks through `latest`, for readers that want one file. The three newest runs are kept, so a reader
/// that resolved `latest` just before a switch still finds its files.
///
/// Running it again on the same data changes nothing (no clock anywhere: the date is
/// ``ReportData/asOf``; a snapshot of that date is replaced, not duplicated; a run identical to `latest`
/// is not written). Each model's change is measured against the latest snapshot dated before this one,
/// and the history chart draws all of them. A failure leaves the previous leaderboard as it was.
public struct LeaderboardDirectory {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The dated snapshots of the current run (through `latest`; a real folder in a leaderboard written
    /// before runs existed).
    public var historyDirectory: URL { directory.appendingPathComponent("history", isDirectory: true) }
    /// The symlink to the current run's directory.
    public var latest: URL { directory.appendingPathComponent("latest") }
    var runsDirectory: URL { directory.appendingPathComponent("runs", isDirectory: true) }

    /// How many run directories are kept (the newest ones).
    static let keptRuns = 3
    /// The names at the top level, each a symlink to the same name under `latest`.
    static let topLevelNames = ["report.html", "report.md", "ratings.json", "ratings.csv", "history"]

    /// Renders and writes a new run, then switches `latest` to it; returns the paths written, relative to
    /// the run's directory (nothing is written when the run would be identical to `latest`).
    @discardableResult
    public func write(_ current: ReportData) throws -> [String] {
        let data = try withHistory(current)
        var files = ReportFiles.make(data)
        guard let snapshot = data.history.last else { throw ReportError.noRatings("no snapshot") }
        let snapshotName = "history/\(snapshot.date).json"
        files.add(snapshotName, contents: try RatingsExport.encode(snapshot))
        var contents = files.files.map { (name: $0.name, data: Data($0.contents.utf8)) }
        // Every other file of the dated history comes forward unchanged (later dates included).
        for name in try historyFileNames() where "history/\(name)" != snapshotName {
            let path = historyDirectory.appendingPathComponent(name)
            do {
                contents.append(("history/\(name)", try Data(contentsOf: path)))
            } catch {
                throw ReportError.cannotWrite(path: path.path, reason: "cannot copy it forward: \(error.localizedDescription)")
            }
        }
        if try isLatest(contents) {
            try linkTopLevelNames()
            return contents.map(\.name)
        }
        let run = try makeRunDirectory()
        do {
            var set = AtomicFileSet(directory: run)
            for file in contents { set.add(file.name, data: file.data) }
            try set.commit()
            try switchLatest(to: "runs/\(run.lastPathComponent)")
        } catch {
            try? FileManager.default.removeItem(at: run)
            throw error
        }
        try linkTopLevelNames()
        pruneRuns()
        return contents.map(\.name)
    }

    /// `current` with its change column and history filled from the snapshots on disk.
    public func withHistory(_ current: ReportData) throws -> ReportData {
        guard LeaderboardDate.isValid(current.asOf) else { throw ReportError.badDate(current.asOf) }
        let earlier = try snapshots().filter { $0.date < current.asOf }
        let now = RatingSnapshot(date: current.asOf, ratings: current.leaderboard.map {
            SnapshotRating(model: $0.model, rating: $0.rating, ciLow: $0.ciLow, ciHigh: $0.ciHigh, comparisons: $0.comparisons)
        })
        var data = current
        let previous = earlier.last.map { Dictionary($0.ratings.map { ($0.model, $0.rating) }, uniquingKeysWith: { a, _ in a }) }
        for i in data.leaderboard.indices {
            data.leaderboard[i].change = previous?[data.leaderboard[i].model].map { data.leaderboard[i].rating - $0 }
        }
        data.history = earlier + [now]
        return data
    }

    /// The regular files in `history/` (none when it does not exist yet).
    func historyFileNames() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: historyDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every snapshot in `history/`, oldest first. A file that is not a snapshot is an error that
    /// names it, rather than a silent gap in the chart.
    public func snapshots() throws -> [RatingSnapshot] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: historyDirectory.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            throw ReportError.cannotWrite(path: historyDirectory.path, reason: "it is a file, not a directory")
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: historyDirectory.path)
        } catch {
            throw ReportError.badSnapshot(path: historyDirectory.path, reason: "\(error.localizedDescription)")
        }
        var result: [RatingSnapshot] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = historyDirectory.appendingPathComponent(name)
            let date = String(name.dropLast(5))
            guard LeaderboardDate.isValid(date) else { continue }  // other JSON files are not ours
            let snapshot: RatingSnapshot
            do {
                snapshot = try JSONDecoder().decode(RatingSnapshot.self, from: Data(contentsOf: path))
            } catch let error as DecodingError {
                throw ReportError.badSnapshot(path: path.path, reason: LeaderboardDate.describe(error))
            } catch {
                throw ReportError.badSnapshot(path: path.path, reason: error.localizedDescription)
            }
            guard snapshot.date == date else {
                throw ReportError.badSnapshot(path: path.path, reason: "its date \(snapshot.date) does not match its name")
            }
            result.append(snapshot)
        }
        return result
    }
}

// MARK: - The files of a report

/// The four files every report has, rendered in memory (so a rendering failure writes nothing).
public struct ReportFiles {
    public var files: [(name: String, contents: String)]

    public mutating func add(_ name: String, contents: String) { files.append((name, contents)) }

    public static func make(_ data: ReportData) -> ReportFiles {
        // Encoding the ratings cannot fail: every field is a plain value (non-finite doubles are
        // written as strings).
        let json = (try? RatingsExport.json(data)) ?? "{}\n"
        return ReportFiles(files: [
            ("report.html", HTMLRenderer().render(data)),
            ("report.md", MarkdownRenderer().render(data)),
            ("ratings.json", json),
            ("ratings.csv", RatingsExport.csv(data.leaderboard)),
        ])
    }

    /// Writes the four files into `directory` all-or-nothing.
    public static func write(_ data: ReportData, to directory: URL) throws {
        var set = AtomicFileSet(directory: directory)
        for (name, contents) in make(data).files { set.add(name, contents: contents) }
        try set.commit()
    }
}

// MARK: - Dates

/// Snapshot dates: YYYY-MM-DD, compared as strings (which orders them by time).
public enum LeaderboardDate {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(m) && d >= 1 && d <= days[m - 1]
    }

    /// The UTC calendar date of a Unix time, as YYYY-MM-DD (Howard Hinnant's civil-from-days).
    public static func fromUnixTime(_ seconds: Double) -> String {
        let days = Int((seconds / 86_400).rounded(.down))
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return "missing field '\(key.stringValue)' at \(path(context))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case let .dataCorrupted(context):
            return "not valid JSON: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return p.isEmpty ? "the top level" : p
    }
}
