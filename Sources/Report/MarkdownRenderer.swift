// MARK: - The Markdown summary (GitHub-flavoured, for a pull-request comment)

/// Renders ``ReportData`` as GitHub-flavoured Markdown: the leaderboard, ratings per task, the
/// held-out verdict, judge health and a few sample comparisons in collapsed `<details>` blocks.
///
/// Every string from the data goes through ``MarkdownText``: escaped inline, or inside a fenced code
/// block that it cannot close — so no output becomes a heading, a link, an image or raw HTML.
public struct MarkdownRenderer: Sendable {
    /// How many sample comparisons to include (the HTML report has them all).
    public var sampleLimit: Int

    public init(sampleLimit: Int = 3) {
        self.sampleLimit = sampleLimit
    }

    public func render(_ data: ReportData) -> String {
        var out = reliabilityAlarm(data) + "## judge report: \(data.title.md)\n\n"
        var meta = ["as of \(data.asOf.md)", "\(data.leaderboard.count) models",
                    "\(Format.count(data.leaderboard.reduce(0) { $0 + $1.comparisons } / 2)) comparisons"]
        if let judge = data.judgeDescription { meta.append("judge: \(judge.md)") }
        if let anchor = data.anchor { meta.append("anchor: \(anchor.md)") }
        out += meta.joined(separator: " · ") + "\n\n"
        for note in data.notes { out += "> **Note:** \(note.md)\n" }
        if !data.notes.isEmpty { out += "\n" }
        out += leaderboard(data)
        out += overfit(data)
        out += tasks(data)
        out += reliability(data)
        out += agreement(data)
        out += health(data)
        out += samples(data)
        out += buildLine(data)
        return out
    }

    // MARK: - Sections

    private func leaderboard(_ data: ReportData) -> String {
        let showChange = data.history.count > 1 || data.leaderboard.contains { $0.change != nil }
        let showAnchor = !data.leaderboard.isEmpty   // every Rank row has its win rate against the anchor (or the center)
        var header = ["#", "Model", "Rating", "95% interval"]
        var align = ["--:", ":--", "--:", "--:"]
        if showChange { header.append("Change"); align.append("--:") }
        if showAnchor { header.append("Win rate vs \(data.anchor.map(\.md) ?? "1000")"); align.append("--:") }
        header += ["Comparisons", "W / L / T"]
        align += ["--:", "--:"]
        var out = "### Leaderboard\n\n" + row(header) + row(align)
        for r in data.leaderboard {
            var cells = ["\(r.rank)", r.rank == 1 ? "**\(MarkdownText.cell(r.model))**" : MarkdownText.cell(r.model),
                         Format.rating(r.rating), Format.interval(r.ciLow, r.ciHigh)]
            if showChange { cells.append(Format.change(r.change)) }
            if showAnchor { cells.append(Format.percent(r.winRateVsAnchor)) }
            cells += [Format.count(r.comparisons), "\(Format.count(r.wins)) / \(Format.count(r.losses)) / \(Format.count(r.ties))"]
            out += row(cells)
        }
        if showChange, let previous = data.history.dropLast().last {
            out += "\nChange: since the snapshot of \(previous.date.md).\n"
        }
        return out + "\n"
    }

    private func overfit(_ data: ReportData) -> String {
        guard let check = data.overfit else { return "" }
        var out = "### Held-out check\n\n"
        out += "\(check.generalizes ? "✅" : check.status == "inconclusive" ? "❔" : "⚠️") **\(check.verdict.md)**\n\n"
        if check.findings.count > 1 {
            out += check.findings.map { "- \($0.md)\n" }.joined() + "\n"
        }
        if let tau = check.kendallTau, let rho = check.spearmanRho {
            out += "Kendall’s τ = \(Format.fixed(tau, 3))"
            if let ci = check.kendallTauCI { out += " (95%: \(Format.fixed(ci.low, 3)) to \(Format.fixed(ci.high, 3)))" }
            out += ", Spearman’s ρ = \(Format.fixed(rho, 3))"
            if let ci = check.spearmanRhoCI { out += " (95%: \(Format.fixed(ci.low, 3)) to \(Format.fixed(ci.high, 3)))" }
        } else {
            out += "No rank correlation (fewer than two models rated on both sides)"
        }
        out += "; held out: " + check.heldOutTasks.map { $0.md }.joined(separator: ", ") + ".\n\n"
        if !check.shifts.isEmpty {
            out += row(["Model", "Development #", "Held-out #", "Development rating", "Held-out rating"])
            out += row([":--", "--:", "--:", "--:", "--:"])
            for s in check.shifts {
                out += row([MarkdownText.cell(s.model) + (s.outsideInterval ? " ⚠️" : ""), "\(s.developmentRank)", "\(s.heldOutRank)",
                            Format.rating(s.developmentRating), Format.rating(s.heldOutRating)])
            }
            out += "\n"
        }
        return out
    }

    private func tasks(_ data: ReportData) -> String {
        guard !data.tasks.isEmpty else { return "" }
        let grid = PerTaskGrid(data: data)
        var out = "### Ratings per task\n\n"
        out += row(["Model"] + data.tasks.map { MarkdownText.cell($0.task) + ($0.heldOut ? " (held out)" : "") })
        out += row([":--"] + data.tasks.map { _ in "--:" })
        for model in grid.models {
            var cells = [MarkdownText.cell(model)]
            for task in data.tasks {
                if let r = grid.row(model, task.task) {
                    cells.append("\(Format.rating(r.rating)) (#\(r.rank))")
                } else {
                    cells.append("–")
                }
            }
            out += row(cells)
        }
        return out + "\n"
    }

    private func health(_ data: ReportData) -> String {
        guard let h = data.health else { return "" }
        var out = "### Judge health\n\n"
        out += row(["First position wins", "Orders disagree", "Longer answer wins", "Judgments", "Unparsed", "Failed", "Tokens", "Cost"])
        out += row(Array(repeating: "--:", count: 8))
        out += row([Format.percent(h.firstPositionWinRate), Format.percent(h.orderDisagreementRate),
                    Format.percent(h.longerAnswerWinRate), Format.count(h.parsed), Format.count(h.unparsed),
                    Format.count(h.failed), Format.count(h.promptTokens + h.completionTokens), Format.dollars(h.cost)])
        return out + "\n"
    }

    private func samples(_ data: ReportData) -> String {
        let shown = data.samples.prefix(sampleLimit)
        guard !shown.isEmpty else { return "" }
        var out = "### Sample comparisons\n\n"
        for s in shown {
            let verdict = SampleVerdict.describe(s).text
            let summary = "\(s.task) · \(s.itemID): A \(s.modelA) vs B \(s.modelB) — \(verdict)"
            out += "<details><summary>\(MarkdownText.inlineHTML(summary))</summary>\n\n"
            out += "**Prompt**\n\n\(MarkdownText.codeBlock(s.prompt))\n\n"
            out += "**A · \(s.modelA.md)**\n\n\(MarkdownText.codeBlock(s.outputA))\n\n"
            out += "**B · \(s.modelB.md)**\n\n\(MarkdownText.codeBlock(s.outputB))\n\n"
            out += "**Judge**\n\n\(MarkdownText.codeBlock(s.reasoning))\n\n</details>\n\n"
        }
        if data.samples.count > shown.count {
            out += "\(data.samples.count - shown.count) more in report.html.\n"
        }
        return out
    }

    // MARK: - Table rows

    /// One GFM table row; cells are already escaped (pipes included).
    private func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }
}
