import Comparisons
import Foundation
import Judge
import Rank
import Store
import Suite

// MARK: - ComparisonSource: where `judge rank` and `judge overfit` get their comparisons

/// Loads comparisons for the rating commands: a battles file, or the store — one suite's resolved
/// comparisons by ONE judge configuration (``ComparisonReader``), opened read-only.
///
/// The configuration is `--judge`'s, else the suite file's current judge, else the only one stored.
struct ComparisonSource {
    var battles: String?
    var store: StoreOptions
    /// The suite file (`--suite` / the positional SUITE.yaml), if any.
    var suite: String?
    var judge: JudgeSelection?
    /// Whether the fit needs each comparison's output lengths (length control). Without it the
    /// store's comparisons are read deduplicated (counted groups): the same ratings, far less memory.
    var needsLengths = false
    /// When set, a store's configuration is also measured for reliability with this many bootstrap
    /// rounds and seed (``ComparisonReader/reliability(suites:task:judge:bootstrapRounds:seed:)``).
    var reliability: (bootstrapRounds: Int, seed: UInt64)?

    struct Loaded {
        var comparisons: [Comparison]
        /// Tasks marked `held_out: true` by the suite file, or by the store's task table.
        var heldOutTasks: Set<String>
        /// The configuration rated; `nil` for a battles file.
        var judge: JudgeConfiguration?
        /// Its reliability, when asked for; `nil` for a battles file.
        var reliability: JudgeReliability?
    }

    /// The store and the suite in it that the rating commands read.
    struct Opened {
        var reader: ComparisonReader
        var suite: String
        var definition: Suite?
        var path: String
    }

    func open() throws -> Opened {
        let definition = try suite.map { try Suite.load(from: URL(fileURLWithPath: $0)) }
        let path = store.path(suiteFile: suite.map { URL(fileURLWithPath: $0) })
        let judgeStore: JudgeStore
        if PostgresLocation.isPostgresURL(path) {
            // A server, not a file: nothing to check on disk (rank, overfit and report read a team's store too).
            judgeStore = try JudgeStore.open(path)
        } else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw SourceError.noStore(path)
            }
            judgeStore = try JudgeStore(readingAt: path)
        }
        let name: String
        if let definition {
            name = definition.name
        } else {
            let names = try judgeStore.suiteNames()
            guard names.count == 1 else {
                throw names.isEmpty ? SourceError.emptyStore(path) : SourceError.severalSuites(path, names)
            }
            name = names[0]
        }
        return Opened(reader: ComparisonReader(store: judgeStore), suite: name, definition: definition, path: path)
    }

    func load() throws -> Loaded {
        if let battles {
            let definition = try suite.map { try Suite.load(from: URL(fileURLWithPath: $0)) }
            let suiteHeldOut = Set(definition?.tasks.filter(\.heldOut).map(\.name) ?? [])
            let comparisons = try Comparison.readBattles(contentsOf: URL(fileURLWithPath: battles))
            guard !comparisons.isEmpty else { throw RankError.noComparisons(task: nil) }
            return Loaded(comparisons: comparisons, heldOutTasks: suiteHeldOut, judge: nil)
        }
        let opened = try open()
        let suiteHeldOut = Set(opened.definition?.tasks.filter(\.heldOut).map(\.name) ?? [])
        let current = try opened.definition?.judge.configuration()
        let judge = try opened.reader.configuration(suites: [opened.suite], selection: self.judge, current: current)
        let measured = try reliability.map {
            try opened.reader.reliability(suites: [opened.suite], judge: judge, bootstrapRounds: $0.bootstrapRounds, seed: $0.seed)
        }
        if needsLengths {
            let records = try opened.reader.comparisons(suite: opened.suite, judge: judge)
            guard !records.isEmpty else { throw try noComparisons(opened, judge) }
            return Loaded(comparisons: records.map(Comparison.init),
                          heldOutTasks: suiteHeldOut.union(records.filter(\.heldOut).map(\.task)), judge: judge,
                          reliability: measured)
        }
        let groups = try opened.reader.summary(suites: [opened.suite], judge: judge, sampleLimit: 0).groups
        guard !groups.isEmpty else { throw try noComparisons(opened, judge) }
        return Loaded(comparisons: groups.map(Comparison.init),
                      heldOutTasks: suiteHeldOut.union(groups.filter(\.heldOut).map(\.task)), judge: judge,
                      reliability: measured)
    }

    private func noComparisons(_ opened: Opened, _ judge: JudgeConfiguration) throws -> SourceError {
        let others = try opened.reader.configurations(suites: [opened.suite]).filter { $0.configuration != judge }
        return .noComparisons(suite: opened.suite, path: opened.path, judge: judge, others: others)
    }

    enum SourceError: Error, CustomStringConvertible {
        case noStore(String)
        case emptyStore(String)
        case severalSuites(String, [String])
        case noComparisons(suite: String, path: String, judge: JudgeConfiguration, others: [JudgeConfigurationCount])

        var description: String {
            switch self {
            case .noStore(let path): return "no store at \(path); pass --db PATH or --battles FILE, or run `judge compare` first"
            case .emptyStore(let path): return "the store \(path) holds no suite yet; run `judge compare SUITE.yaml` first"
            case .severalSuites(let path, let names):
                return "the store \(path) holds several suites (\(names.joined(separator: ", "))); pass --suite SUITE.yaml"
            case .noComparisons(let suite, let path, let judge, let others):
                let hint = others.isEmpty ? "run `judge compare` first"
                    : "other judge configurations have: pick one with --judge (\(JudgeSelectionError.list(others)))"
                return "suite '\(suite)' has no judged comparisons by \(judge.description) in \(path); \(hint)"
            }
        }
    }
}
