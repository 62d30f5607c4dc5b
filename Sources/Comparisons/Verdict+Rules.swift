import Store

// MARK: - What a verdict means for ratings

extension Verdict {
    /// +1 when A wins, −1 when B wins, 0 for a tie.
    public var direction: Int {
        switch self {
        case .aMuchBetter, .aBetter: 1
        case .tie: 0
        case .bBetter, .bMuchBetter: -1
        }
    }

    /// True for the graded "much better" forms.
    public var isStrong: Bool { self == .aMuchBetter || self == .bMuchBetter }

    /// A's score, ties counting half (the Chatbot Arena convention): 1, 0.5 or 0.
    public var scoreA: Double { Double(direction + 1) / 2 }

    /// The two-order rule for text verdicts: combines the canonical verdicts of the two presentation
    /// orders (position-bias control, MT-Bench's "swap positions").
    ///
    /// Same direction → that direction, "much better" only when both said so; different directions
    /// (including one tie) → a tie. The second value tells whether the two orders agreed.
    public static func combine(_ first: Verdict, _ second: Verdict) -> (verdict: Verdict, agreed: Bool) {
        guard first.direction == second.direction else { return (.tie, false) }
        switch first.direction {
        case 1: return (first.isStrong && second.isStrong ? .aMuchBetter : .aBetter, true)
        case -1: return (first.isStrong && second.isStrong ? .bMuchBetter : .bBetter, true)
        default: return (.tie, true)
        }
    }

    /// The two-order rule for logprob verdicts: the preference for model A averaged over the two orders
    /// (balanced position calibration, Wang et al. 2023, "Large Language Models are not Fair
    /// Evaluators"), decisive unless exactly even. A judge that always favours the first position
    /// (small local judges do, with P ≈ 0.8 whatever it reads) still ranks by how much more it
    /// favours the better answer when that one comes first; the argmax per order, combined as text
    /// verdicts are, would call every such pair a tie.
    ///
    /// In single precision, as the comparison scan always decided it (so stored verdicts keep their outcome).
    ///
    /// - Parameters:
    ///   - ab: P(the answer shown first is better) with model A shown first.
    ///   - ba: the same with model B shown first.
    public static func calibrated(ab: Float, ba: Float) -> Verdict {
        let preferenceA = (ab + (1 - ba)) / 2    // ba presents model B first: 1 − P(B better)
        return preferenceA > 0.5 ? .aBetter : preferenceA < 0.5 ? .bBetter : .tie
    }
}
