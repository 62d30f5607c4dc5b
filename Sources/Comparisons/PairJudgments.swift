import Rank
import Store

/// The judgments of one pair of outputs under one judge configuration, reduced to what resolution
/// needs: the newest judgment per presentation order, and any identical-output tie.
///
/// Resolution (``resolved()``) applies the two-order rule: an identical-output tie is a tie (counted
/// once, whatever else is stored); two text verdicts combine by ``Verdict/combine(_:_:)``; two logprob
/// verdicts by ``Verdict/calibrated(ab:ba:)``; one order alone counts only when one order was planned.
/// Anything else — an order unparsed, failed or still missing — resolves to nothing, never to a tie.
/// Independent of the order rows arrive in: the newest (largest id) per order wins.
struct PairJudgments {
    var itemID: Int64
    var task: Int32
    var modelA: Int32
    var modelB: Int32
    var lengthA: Int32
    var lengthB: Int32
    var planned: Int8 = 1
    var identicalID: Int64 = -1
    var abID: Int64 = -1
    var ab: Verdict?                // presented terms
    var abPreference: Double?
    var baID: Int64 = -1
    var ba: Verdict?
    var baPreference: Double?

    init(_ row: JudgmentRow) {
        itemID = row.itemID
        task = row.task
        modelA = row.modelA
        modelB = row.modelB
        lengthA = row.lengthA
        lengthB = row.lengthB
    }

    /// Counts one judgment in.
    mutating func add(_ row: JudgmentRow) {
        planned = max(planned, row.ordersPlanned)
        if row.identicalOutputs {
            identicalID = max(identicalID, row.id)
        } else if row.shownFirstIsA {
            if row.id > abID { abID = row.id; ab = row.verdict; abPreference = row.preference }
        } else {
            if row.id > baID { baID = row.id; ba = row.verdict; baPreference = row.preference }
        }
    }

    /// The resolution: the canonical outcome, whether the orders agreed (`nil`: one order or none
    /// needed), whether it is an identical-output tie, and the judgments used (`ab` first); `nil` when
    /// unresolved.
    func resolved() -> (outcome: Verdict, ordersAgreed: Bool?, identical: Bool, judgmentIDs: [Int64])? {
        if identicalID >= 0 { return (.tie, nil, true, [identicalID]) }
        let canonicalAB = ab                 // canonical = presented for ab
        let canonicalBA = ba?.flipped        // presented B is model A for ba
        let ids = [abID, baID].filter { $0 >= 0 }
        switch (canonicalAB, canonicalBA) {
        case let (x?, y?):
            let combined = Verdict.combine(x, y)
            if let p = abPreference, let q = baPreference {
                return (Verdict.calibrated(ab: Float(p), ba: Float(q)), combined.agreed, false, ids)
            }
            return (combined.verdict, combined.agreed, false, ids)
        case let (x?, nil) where planned == 1, let (nil, x?) where planned == 1:
            return (x, nil, false, ids)
        default:
            return nil
        }
    }
}

// MARK: - For the reliability figures

extension PairJudgments {
    /// The pair as ``Rank/JudgeReliability`` reads it: each order's verdict in presented terms and its
    /// logprob preference; nil for an identical-output tie (no judge call made it) or a pair with no
    /// verdict in either order.
    var orderedVerdicts: OrderedVerdicts? {
        guard identicalID < 0, ab != nil || ba != nil else { return nil }
        func position(_ v: Verdict?) -> PositionVerdict? {
            v.map { $0.direction > 0 ? .first : $0.direction < 0 ? .second : .tie }
        }
        return OrderedVerdicts(aFirst: position(ab), bFirst: position(ba),
                               aFirstPreference: abPreference, bFirstPreference: baPreference,
                               lengthA: Int(lengthA), lengthB: Int(lengthB))
    }
}
