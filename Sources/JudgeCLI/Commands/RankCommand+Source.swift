import Foundation
import Rank

// MARK: - ComparisonSource: where `judge rank` and `judge overfit` get their comparisons

/// Loads comparisons for the rating commands: a battles file, or the store.
///
/// The store's records are mapped onto `Rank.Comparison` here, in the CLI, so `Rank` stays
/// independent of the store.
struct ComparisonSource {
    var battles: String?
    var db: String?
    var suite: String?

    func load() throws -> [Comparison] {
        if let battles {
            let comparisons = try Comparison.readBattles(contentsOf: URL(fileURLWithPath: battles))
            guard !comparisons.isEmpty else { throw RankError.noComparisons(task: nil) }
            return comparisons
        }
        throw SourceError.storeUnavailable
    }

    /// Held-out task names declared by the suite (none without a suite).
    func heldOutTasks() throws -> Set<String> {
        guard suite != nil else { return [] }
        throw SourceError.suiteUnavailable
    }

    enum SourceError: Error, CustomStringConvertible {
        case storeUnavailable, suiteUnavailable
        var description: String {
            switch self {
            case .storeUnavailable:
                return "reading comparisons from the store is not available in this build yet; export them and pass --battles FILE"
            case .suiteUnavailable:
                return "reading held_out flags from a suite is not available in this build yet; pass --held-out TASK"
            }
        }
    }
}
