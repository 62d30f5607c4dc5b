import Store

/// Which pairs of models are judged on each item: `all` (every pair) or `sample:N` (N pairs per item).
///
/// Sampling is deterministic — pairs are ranked by a hash of (item, pair) — so a resumed or repeated
/// run picks the same pairs and reuses their stored judgments.
public enum PairSelection: Sendable, Hashable, CustomStringConvertible {
    case all
    case sample(Int)

    /// Parses `all` or `sample:N` (N ≥ 1).
    public init?(argument: String) {
        if argument == "all" { self = .all; return }
        guard argument.hasPrefix("sample:"), let n = Int(argument.dropFirst("sample:".count)), n >= 1 else { return nil }
        self = .sample(n)
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .sample(let n): "sample:\(n)"
        }
    }

    /// The chosen pairs among `pairs` for the item with row id `itemID`.
    func choose(_ pairs: [(CurrentCandidate, CurrentCandidate)], itemKey: String) -> [(CurrentCandidate, CurrentCandidate)] {
        switch self {
        case .all:
            return pairs
        case .sample(let n):
            guard pairs.count > n else { return pairs }
            return pairs
                .map { ($0, ContentKey.make(["pair-sample", itemKey, $0.0.model, $0.1.model])) }
                .sorted { $0.1 < $1.1 }
                .prefix(n)
                .map(\.0)
        }
    }
}
