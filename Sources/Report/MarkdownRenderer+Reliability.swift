import Rank

// MARK: - Judge reliability, agreement and the build, in the Markdown summary

extension MarkdownRenderer {
    /// The report's first line when the judge is unreliable.
    func reliabilityAlarm(_ data: ReportData) -> String {
        guard let warning = data.judgeReliability?.warning else { return "" }
        return "> ⚠️ **\(warning.md)**\n\n"
    }

    func reliability(_ data: ReportData) -> String {
        guard let r = data.judgeReliability else { return "" }
        var out = "### Judge reliability\n\n**\(r.summary.md)**\n\n"
        out += table(["Figure", "Value", "95% interval", "Meaning"], [":--", "--:", "--:", ":--"], ReliabilityRows.rows(r))
        return out + "\n"
    }

    func agreement(_ data: ReportData) -> String {
        guard let h = data.agreement else { return "" }
        var out = "### Agreement with human labels\n\n"
        out += "\(Format.count(h.votes)) human votes in \(h.labelsFile.md); \(Format.count(h.agreement.votePairs)) vote pairs on "
            + "\(Format.count(h.agreement.matchedKeys)) (item, pair) keys judged by both.\n\n"
        out += table(["Figure", "Value", "95% interval"], [":--", "--:", "--:"], ReliabilityRows.rows(h.agreement))
        return out + "\n"
    }

    func buildLine(_ data: ReportData) -> String {
        guard let build = data.judgeBuild else { return "" }
        return "<sub>Written by \(build.md).</sub>\n"
    }

    private func table(_ header: [String], _ align: [String], _ rows: [[String]]) -> String {
        ([header, align] + rows.map { $0.map(\.md) }).map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
    }
}
