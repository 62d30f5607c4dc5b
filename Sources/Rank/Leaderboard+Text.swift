import Foundation

// MARK: - Leaderboard as text: table, CSV, Markdown, JSON rows

extension Leaderboard {
    /// Column headers shared by the table, CSV and Markdown forms.
    static let columns = ["rank", "model", "rating", "ci_low", "ci_high", "win_rate_vs_anchor",
                          "comparisons", "wins", "losses", "ties"]

    private var versus: String { anchor.map { "win vs \($0.model)" } ?? "win vs \(Self.format(center, 0))" }

    /// An aligned plain-text table with a one-line footer (what the numbers mean).
    public func table() -> String {
        let header = ["#", "model", "rating", "\(Int((confidence * 100).rounded()))% CI", versus, "n", "W", "L", "T"]
        let body = rows.enumerated().map { k, r in
            ["\(k + 1)", r.model, Self.format(r.rating, 1),
             "[\(Self.format(r.ciLow, 1)), \(Self.format(r.ciHigh, 1))]", Self.format(r.winRateVsAnchor, 3),
             "\(r.comparisons)", "\(r.wins)", "\(r.losses)", "\(r.ties)"]
        }
        return (task.map { "task: \($0)\n" } ?? "") + TextTable(header: header, leftAligned: [1]).render(body)
            + footer() + "\n"
    }

    /// What the numbers mean: scale, ties, length effect, bootstrap.
    public func footer() -> String {
        var parts = [anchor.map { "Elo scale anchored at \($0.model) = \(Self.format($0.rating, 0))" }
                     ?? "Elo scale, mean \(Self.format(center, 0))"]
        parts.append("\(comparisons) comparisons")
        switch tieModel {
        case .half: parts.append("ties count half a win")
        case .davidson: parts.append("Davidson ties, ν = \(Self.format(tieParameter ?? .nan, 3))")
        }
        if let l = lengthEffect {
            parts.append("length effect removed: β = \(Self.format(l.coefficient, 3)) [\(Self.format(l.ciLow, 3)), "
                         + "\(Self.format(l.ciHigh, 3))] per \(Self.format(l.unit, 3)) of normalized length difference "
                         + "(\(Self.format(l.eloPerUnit, 1)) Elo)")
        }
        parts.append(bootstrapRounds > 0 ? "\(bootstrapRounds) bootstrap rounds, seed \(seed)" : "no bootstrap")
        return parts.joined(separator: " · ")
    }

    /// CSV with a header line (unless `header` is false); `includeTask` adds a leading task column
    /// (empty for the overall leaderboard), so per-task boards concatenate into one file.
    public func csv(includeTask: Bool = false, header: Bool = true) -> String {
        var out = header ? (includeTask ? "task," : "") + Self.columns.joined(separator: ",") + "\n" : ""
        for (k, r) in rows.enumerated() {
            if includeTask { out += Self.csvField(task ?? "") + "," }
            out += ["\(k + 1)", Self.csvField(r.model), "\(r.rating)", "\(r.ciLow)", "\(r.ciHigh)", "\(r.winRateVsAnchor)",
                    "\(r.comparisons)", "\(r.wins)", "\(r.losses)", "\(r.ties)"].joined(separator: ",") + "\n"
        }
        return out
    }

    /// A GitHub-flavored Markdown table with the footer in italics.
    public func markdown() -> String {
        var out = task.map { "### \($0)\n\n" } ?? ""
        out += "| # | model | rating | \(Int((confidence * 100).rounded()))% CI | \(versus) | n | W | L | T |\n"
        out += "|--:|:--|--:|:-:|--:|--:|--:|--:|--:|\n"
        for (k, r) in rows.enumerated() {
            let model = r.model.replacingOccurrences(of: "|", with: "\\|")
            out += "| \(k + 1) | \(model) | \(Self.format(r.rating, 1)) | \(Self.format(r.ciLow, 1)) – \(Self.format(r.ciHigh, 1)) "
                + "| \(Self.format(r.winRateVsAnchor, 3)) | \(r.comparisons) | \(r.wins) | \(r.losses) | \(r.ties) |\n"
        }
        return out + "\n_\(footer())_\n"
    }

    // MARK: Helpers

    static func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

// MARK: - JSON rows in a fixed key order

extension Array where Element == RatingRow {
    /// The rows as a pretty-printed JSON list, keys in the documented order
    /// (`model, rating, ci_low, ci_high, win_rate_vs_anchor, comparisons, wins, losses, ties`) —
    /// `JSONEncoder` does not promise an order.
    public func orderedJSON(indent: String = "") -> String {
        guard !isEmpty else { return "[]" }
        let items = map { r -> String in
            let name = String(decoding: try! JSONEncoder().encode(r.model), as: UTF8.self)
            let fields = ["\"model\": \(name)", "\"rating\": \(r.rating)", "\"ci_low\": \(r.ciLow)",
                          "\"ci_high\": \(r.ciHigh)", "\"win_rate_vs_anchor\": \(r.winRateVsAnchor)",
                          "\"comparisons\": \(r.comparisons)", "\"wins\": \(r.wins)", "\"losses\": \(r.losses)",
                          "\"ties\": \(r.ties)"]
            return "\(indent)  {" + fields.joined(separator: ", ") + "}"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n\(indent)]"
    }
}
