// MARK: - ComparisonGraph: can these models be put on one scale?

/// The undirected graph "was ever compared with", and its connected components.
///
/// Ratings of models in different components share no scale — the prior would quietly put both
/// groups around the same mean — so a disconnected graph is an error naming the groups.
public struct ComparisonGraph: Sendable {
    /// Connected components, each sorted by name, largest first (ties by first name).
    public let components: [[String]]

    public init(_ comparisons: [Comparison]) {
        var parent: [String: String] = [:]
        func find(_ x: String) -> String {
            var root = x
            while let p = parent[root], p != root { root = p }
            var node = x
            while let p = parent[node], p != root { parent[node] = root; node = p }
            return root
        }
        for c in comparisons {
            if parent[c.modelA] == nil { parent[c.modelA] = c.modelA }
            if parent[c.modelB] == nil { parent[c.modelB] = c.modelB }
            let a = find(c.modelA), b = find(c.modelB)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var groups: [String: [String]] = [:]
        for model in parent.keys { groups[find(model), default: []].append(model) }
        components = groups.values.map { $0.sorted() }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    }

    public var isConnected: Bool { components.count <= 1 }

    /// Throws `RankError.disconnected` naming the groups when there is more than one.
    public func requireConnected() throws {
        if !isConnected { throw RankError.disconnected(groups: components) }
    }
}
