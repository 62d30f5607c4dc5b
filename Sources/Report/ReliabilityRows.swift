import Rank

// MARK: - The reliability and agreement figures as table rows, shared by the renderers

/// The judge's reliability figures as (figure, value, interval, what it means) rows, in the order both
/// renderers show them; plain text, escaped by the renderer.
enum ReliabilityRows {
    static func rows(_ r: JudgeReliability) -> [[String]] {
        func pct(_ x: Double) -> String { Format.percent(x) }
        func span(_ low: Double, _ high: Double, percent: Bool = true) -> String {
            percent ? "\(pct(low)) – \(pct(high))" : "\(Format.fixed(low, 2)) – \(Format.fixed(high, 2))"
        }
        var rows: [[String]] = []
        if let c = r.positionConsistency {
            rows.append(["Orders agree", "\(pct(c.value)) of \(Format.count(c.trials)) pairs", span(c.ciLow, c.ciHigh),
                         "MT-Bench's consistency: both orders name the same winner (GPT-4: 65%)"])
        }
        if let chance = r.chanceConsistency {
            rows.append(["Position alone predicts", pct(chance), "",
                         "the agreement of a judge that reads only where each answer stands"])
        }
        if let b = r.consistencyBeyondPosition {
            rows.append(["Consistency beyond position", Format.fixed(b.value, 2), span(b.ciLow, b.ciHigh, percent: false),
                         "0: position explains every verdict; 1: the order never changes one (unreliable below 0.1)"])
        }
        if let f = r.firstPosition {
            rows.append(["First position wins", "\(pct(f.value)) of \(Format.count(f.trials))", span(f.ciLow, f.ciHigh),
                         "of decisive verdicts; binomial test against 50%: p = \(pValue(f.pValue)) (FastChat's GPT-4: 52.6%)"])
        }
        if let l = r.longerAnswerWins {
            rows.append(["Longer answer wins", "\(pct(l.value)) of \(Format.count(l.trials))", span(l.ciLow, l.ciHigh),
                         "of decisive verdicts between answers of different length (FastChat's GPT-4: 68%)"])
        }
        if let s = r.positionShift {
            rows.append(["Position shift", (s.value >= 0 ? "+" : "") + Format.fixed(s.value, 2), span(s.ciLow, s.ciHigh, percent: false),
                         "mean change in P(first answer better) when the order is swapped, over \(Format.count(r.logprobPairs)) pairs; 0 is unbiased"])
        }
        rows.append(["Unparsed / failed", "\(Format.count(r.unparsed?.successes ?? 0)) / \(Format.count(r.failed?.successes ?? 0))",
                     "", "of \(Format.count(r.calls)) judge calls"])
        return rows
    }

    static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : Format.fixed(p, 4) }

    /// The agreement figures as (figure, value, interval) rows.
    static func rows(_ a: Agreement) -> [[String]] {
        func rate(_ name: String, _ r: Agreement.Rate?) -> [String] {
            guard let r else { return [name, "–", ""] }
            return [name, "\(Format.percent(r.value)) (\(Format.count(r.agreements)) of \(Format.count(r.total)))",
                    "\(Format.percent(r.ciLow)) – \(Format.percent(r.ciHigh))"]
        }
        return [rate("Agreement with ties", a.withTies), rate("Agreement without ties", a.withoutTies),
                ["Cohen's κ", a.kappa.map { Format.fixed($0.value, 2) } ?? "undefined",
                 a.kappa.map { "\(Format.fixed($0.ciLow, 2)) – \(Format.fixed($0.ciHigh, 2))" } ?? ""]]
    }
}
