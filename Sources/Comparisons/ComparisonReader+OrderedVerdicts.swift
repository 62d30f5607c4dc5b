import Rank
import Store

// MARK: - The judge's verdicts order by order, for its reliability

extension ComparisonReader {
    /// Every pair of outputs one configuration judged on `suites` (optionally one task), as the judge saw
    /// it in each order — `Rank.JudgeReliability`'s input. The newest verdict per order counts, as in
    /// resolution; an order unparsed, failed or not judged is nil; identical-output ties (no judge call)
    /// are left out. Sorted by suite, then item and candidates, so the same store gives the same list.
    public func orderedVerdicts(suites: [String], task: String? = nil, judge: JudgeConfiguration) throws -> [OrderedVerdicts] {
        var all: [OrderedVerdicts] = []
        for suite in suites {
            let (pending, _) = try ComparisonScan.pairs(store, suite: suite, task: task, judge: judge)
            let keys = pending.keys.sorted { (pending[$0]!.itemID, $0.candidateA, $0.candidateB) < (pending[$1]!.itemID, $1.candidateA, $1.candidateB) }
            for key in keys {
                let pair = pending[key]!
                guard pair.identicalID < 0 else { continue }
                all.append(OrderedVerdicts(
                    aFirst: pair.ab.map(Self.position), bFirst: pair.ba.map(Self.position),
                    aFirstPreference: pair.abPreference, bFirstPreference: pair.baPreference,
                    lengthA: Int(pair.lengthA), lengthB: Int(pair.lengthB)))
            }
        }
        return all
    }

    /// A verdict in presented terms as the position it favoured.
    static func position(_ verdict: Verdict) -> PositionVerdict {
        switch verdict.direction {
        case 1: .first
        case -1: .second
        default: .tie
        }
    }
}
