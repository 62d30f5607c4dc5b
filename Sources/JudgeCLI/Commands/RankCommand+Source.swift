import Foundation
import Rank
import Report
import Store
import Suite

// MARK: - ComparisonSource: where `judge rank` and `judge overfit` get their comparisons

/// Loads comparisons for the rating commands: a battles file, or the store (one suite's resolved
/// comparisons).
///
/// The store's `ComparisonRecord`s become `Rank.Comparison`s by `Comparison.init(_:)` (in Report,
/// tested there), so `Rank` stays independent of the store.
struct ComparisonSource {
    var battles: String?
    var store: StoreOptions
    /// The suite file (`--suite` / the positional SUITE.yaml), if any.
    var suite: String?
    /// Whether the fit needs each comparison's output lengths (length control). Without it the
    /// store's comparisons are read deduplicated (counted groups): the same ratings, far less memory.
    var needsLengths = false

    struct Loaded {
        var comparisons: [Comparison]
        /// Tasks marked `held_out: true` by the suite file, or by the store's task table.
        var heldOutTasks: Set<String>
    }

    func load() throws -> Loaded {
        let definition = try suite.map { try Suite.load(from: URL(fileURLWithPath: $0)) }
        let suiteHeldOut = Set(definition?.tasks.filter(\.heldOut).map(\.name) ?? [])
        if let battles {
            let comparisons = try Comparison.readBattles(contentsOf: URL(fileURLWithPath: battles))
            guard !comparisons.isEmpty else { throw RankError.noComparisons(task: nil) }
            return Loaded(comparisons: comparisons, heldOutTasks: suiteHeldOut)
        }
        let path = store.path(suiteFile: suite.map { URL(fileURLWithPath: $0) })
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceError.noStore(path)
        }
        let judgeStore = try JudgeStore(path: path)
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
        if needsLengths {
            let records = try judgeStore.comparisons(suite: name)
            guard !records.isEmpty else { throw SourceError.noComparisons(suite: name, path: path) }
            return Loaded(comparisons: records.map(Comparison.init),
                          heldOutTasks: suiteHeldOut.union(records.filter(\.heldOut).map(\.task)))
        }
        let groups = try judgeStore.comparisonSummary(suite: name, sampleLimit: 0).groups
        guard !groups.isEmpty else { throw SourceError.noComparisons(suite: name, path: path) }
        return Loaded(comparisons: groups.map(Comparison.init),
                      heldOutTasks: suiteHeldOut.union(groups.filter(\.heldOut).map(\.task)))
    }

    enum SourceError: Error, CustomStringConvertible {
        case noStore(String)
        case emptyStore(String)
        case severalSuites(String, [String])
        case noComparisons(suite: String, path: String)

        var description: String {
            switch self {
            case .noStore(let path): return "no store at \(path); pass --db PATH or --battles FILE, or run `judge compare` first"
            case .emptyStore(let path): return "the store \(path) holds no suite yet; run `judge compare SUITE.yaml` first"
            case .severalSuites(let path, let names):
                return "the store \(path) holds several suites (\(names.joined(separator: ", "))); pass --suite SUITE.yaml"
            case .noComparisons(let suite, let path):
                return "suite '\(suite)' has no judged comparisons in \(path); run `judge compare` first"
            }
        }
    }
}
