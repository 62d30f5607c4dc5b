import Foundation

// MARK: - Agreement as text

extension Agreement {
    /// The figures as lines for a terminal, naming the two raters:
    ///
    /// ```
    /// agreement of gpt-4 (pairwise v2) with human labels: 120 keys, 314 vote pairs
    ///   with ties       49% (155 of 314; 95%: 44% to 55%)
    ///   without ties    64% (151 of 237; 95%: 58% to 70%)
    ///   Cohen's kappa   0.11 (95%: 0.03 to 0.19)
    /// ```
    /// then the confusion matrix, rows the first rater's label, columns the second's.
    public func text(first: String, second: String) -> String {
        var out = "agreement of \(first) with \(second): \(matchedKeys) (item, pair) keys in common"
            + " (\(onlyFirst) only in \(first), \(onlySecond) only in \(second)), \(votePairs) vote pairs\n"
        let level = "\(Int((confidence * 100).rounded()))%"
        func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
        func rate(_ name: String, _ r: Rate?) {
            let value = r.map { "\(percent($0.value)) (\($0.agreements) of \($0.total); \(level): \(percent($0.ciLow)) to \(percent($0.ciHigh)))" }
                ?? "no vote pairs"
            out += "  " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + value + "\n"
        }
        rate("with ties", withTies)
        rate("without ties", withoutTies)
        func fixed(_ x: Double) -> String { String(format: "%.2f", x) }   // the level's "%" stays out of the format
        out += "  Cohen's kappa   " + (kappa.map { "\(fixed($0.value)) (\(level): \(fixed($0.ciLow)) to \(fixed($0.ciHigh)))" }
            ?? "undefined (each rater gave one label throughout, or no votes)") + "\n"
        guard votePairs > 0 else { return out }
        out += "  confusion (rows: \(first), columns: \(second); A = the pair's model first by name)\n"
        out += "  " + "".padding(toLength: 8, withPad: " ", startingAt: 0)
            + Self.labels.map { $0.leftPadding(to: 14) }.joined() + "\n"
        for (r, label) in Self.labels.enumerated() {
            out += "  " + label.padding(toLength: 8, withPad: " ", startingAt: 0)
                + (0..<3).map { c in "\(confusion[r][c]) (\(percent(confusionShares[r][c].value)))".leftPadding(to: 14) }.joined() + "\n"
        }
        return out
    }
}

private extension String {
    func leftPadding(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
