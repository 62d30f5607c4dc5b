import Foundation

// MARK: - Judge reliability as text

extension JudgeReliability {
    /// The figures as indented lines under a heading line with the status, for a terminal:
    ///
    /// ```
    /// judge reliability: unreliable — its verdicts follow the answers' positions, not their content: …
    ///   orders agree          0% of 96 pairs (95%: 0% to 4%); position alone predicts 0%
    ///   beyond position       0.00 (95%: 0.00 to 0.00)
    ///   first position wins   100% of 192 decisive verdicts (95%: 98% to 100%; p < 0.0001 against 50%)
    /// ```
    public func text() -> String {
        var lines = ["judge reliability: \(status.rawValue)" + (reasons.isEmpty ? "" : " — " + reasons.joined(separator: "; "))]
        func row(_ name: String, _ value: String) { lines.append("  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + value) }
        if let c = positionConsistency {
            row("orders agree", "\(Self.percent(c.value)) of \(c.trials) pairs (\(interval(c.ciLow, c.ciHigh)))"
                + (chanceConsistency.map { "; position alone predicts \(Self.percent($0))" } ?? ""))
        }
        if let b = consistencyBeyondPosition {
            row("beyond position", "\(Self.number(b.value)) (\(interval(b.ciLow, b.ciHigh, percent: false)); 0 = position alone, 1 = never moved by the order)")
        }
        if let f = firstPosition {
            row("first position wins", "\(Self.percent(f.value)) of \(f.trials) decisive verdicts (\(interval(f.ciLow, f.ciHigh)); "
                + "p = \(Self.pValue(f.pValue)) against 50%)")
        }
        if let l = longerAnswerWins {
            row("longer answer wins", "\(Self.percent(l.value)) of \(l.trials) decisive verdicts (\(interval(l.ciLow, l.ciHigh)))")
        }
        if let s = positionShift {
            row("position shift", "\(Self.signed(s.value)) in P(first answer better) when the order is swapped "
                + "(\(interval(s.ciLow, s.ciHigh, percent: false)); \(logprobPairs) pairs)")
        }
        row("unparsed / failed", "\(unparsed?.successes ?? 0) / \(failed?.successes ?? 0) of \(calls) calls"
            + (unparsed.map { " (\(Self.percent($0.value)) / \(Self.percent(failed?.value ?? 0)))" } ?? ""))
        return lines.joined(separator: "\n") + "\n"
    }
}
