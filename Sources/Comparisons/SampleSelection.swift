// MARK: - SampleSelection: a fair, deterministic sample of comparisons, in one pass

/// Picks up to `limit` comparisons for a reader to check the judge by eye, seeing each one once.
///
/// Every task gets its turn, and within a task three kinds take turns: decisive verdicts, ties,
/// and comparisons whose two orders disagreed (the judge at its least sure). Within a (task, kind)
/// the picks are the comparisons with the smallest hash of their candidates and judgments —
/// bottom-k sampling (Cohen & Kaplan, "Summarizing data using bottom-k sketches", PODC 2007), so
/// the sample is uniform-looking, independent of the order rows arrive in, and identical for the
/// same store.
/// - Complexity: O(1) per comparison offered; memory O(tasks × 3 × limit).
struct SampleSelection {
    enum Kind: Int, CaseIterable { case decisive, tie, disagreement }

    let limit: Int
    /// (task, kind) → the `limit` smallest (hash, comparison), sorted by hash.
    private var kept: [Key: [(hash: UInt64, comparison: ComparisonScan.Resolved)]] = [:]

    private struct Key: Hashable { var task: Int32; var kind: Kind }

    init(limit: Int) { self.limit = max(0, limit) }

    static func kind(of r: ComparisonScan.Resolved) -> Kind {
        if r.ordersAgreed == false { return .disagreement }
        return r.outcome.direction == 0 ? .tie : .decisive
    }

    /// A stable pseudo-random rank: SplitMix64's finalizer over the candidates and judgments.
    static func hash(_ r: ComparisonScan.Resolved) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for value in [r.candidateAID, r.candidateBID] + r.judgmentIDs { h = mix(h ^ UInt64(bitPattern: value)) }
        return h
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func offer(_ r: ComparisonScan.Resolved) {
        guard limit > 0 else { return }
        let key = Key(task: r.task, kind: Self.kind(of: r))
        let h = Self.hash(r)
        var list = kept[key] ?? []
        if list.count == limit, let last = list.last, last.hash <= h { return }
        let at = list.firstIndex { $0.hash > h } ?? list.count
        list.insert((h, r), at: at)
        if list.count > limit { list.removeLast() }
        kept[key] = list
    }

    /// Round robin over tasks (by name) and kinds, up to `limit`; listed by task, kind, then hash.
    func chosen(taskNames: [String]) -> [ComparisonScan.Resolved] {
        let tasks = Set(kept.keys.map(\.task)).sorted { taskNames[Int($0)] < taskNames[Int($1)] }
        var taken: [Key: Int] = [:]
        var total = 0
        var progress = true
        while total < limit, progress {
            progress = false
            for task in tasks {
                for kind in Kind.allCases where total < limit {
                    let key = Key(task: task, kind: kind)
                    let next = taken[key, default: 0]
                    guard let list = kept[key], next < list.count else { continue }
                    taken[key] = next + 1
                    total += 1
                    progress = true
                }
            }
        }
        return tasks.flatMap { task in
            Kind.allCases.flatMap { kind in (kept[Key(task: task, kind: kind)] ?? []).prefix(taken[Key(task: task, kind: kind)] ?? 0).map(\.comparison) }
        }
    }
}
