import Rank

// MARK: - Judge reliability, agreement and the build, in the HTML report

extension HTMLRenderer {
    /// The alarm under the title when the judge is unreliable: the first thing a reader sees.
    func reliabilityAlarm(_ data: ReportData) -> String {
        guard let warning = data.judgeReliability?.warning else { return "" }
        return "<div class=\"verdict bad\" role=\"alert\">\(warning.html)</div>\n"
    }

    func reliability(_ data: ReportData) -> String {
        guard let r = data.judgeReliability else { return "" }
        let tone = r.status == .reliable ? "good" : r.status == .unreliable ? "bad" : "neutral"
        var out = "<section id=\"reliability\">\n<h2>Judge reliability</h2>\n"
        out += "<div class=\"verdict \(tone)\">\(r.summary.html)</div>\n"
        out += "<div class=\"scroll\"><table>\n<thead><tr><th>Figure</th><th class=\"num\">Value</th><th class=\"num\">95% interval</th><th>Meaning</th></tr></thead>\n<tbody>\n"
        for row in ReliabilityRows.rows(r) {
            out += "<tr><td>\(row[0].html)</td><td class=\"num\">\(row[1].html)</td><td class=\"num\">\(row[2].html)</td><td class=\"hint\">\(row[3].html)</td></tr>\n"
        }
        out += "</tbody></table></div>\n<p class=\"hint\">Reliable: the orders agree clearly more than position alone predicts and no clear bias. "
        out += "Biased: the same, with the first answer winning outside 40–60% (or a logprob shift beyond 0.2) or the longer answer outside 30–70%. "
        out += "Unreliable: the verdicts are explained by position alone (consistency beyond position below 0.1, or the orders' agreement "
        out += "not shown above what position predicts, p ≥ 0.05), no pair judged both ways, or most replies unparsed — the held-out check is then inconclusive.</p>\n</section>\n"
        return out
    }

    func agreement(_ data: ReportData) -> String {
        guard let h = data.agreement else { return "" }
        let a = h.agreement
        var out = "<section id=\"agreement\">\n<h2>Agreement with human labels</h2>\n"
        out += "<p>The judge against \(Format.count(h.votes)) human votes in <strong>\(h.labelsFile.html)</strong>: "
        out += "\(Format.count(a.matchedKeys)) (item, pair) keys judged by both, \(Format.count(a.votePairs)) vote pairs, as MT-Bench counts them.</p>\n"
        out += "<div class=\"scroll\"><table>\n<thead><tr><th>Figure</th><th class=\"num\">Value</th><th class=\"num\">95% interval</th></tr></thead>\n<tbody>\n"
        for row in ReliabilityRows.rows(a) {
            out += "<tr><td>\(row[0].html)</td><td class=\"num\">\(row[1].html)</td><td class=\"num\">\(row[2].html)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        if a.votePairs > 0 {
            out += "<div class=\"scroll\"><table>\n<thead><tr><th>judge ↓ · humans →</th>"
                + Agreement.labels.map { "<th class=\"num\">\($0.html)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for (r, label) in Agreement.labels.enumerated() {
                out += "<tr><th>\(label.html)</th>" + (0..<3).map { c in
                    "<td class=\"num\">\(Format.count(a.confusion[r][c])) <span class=\"hint\">\(Format.percent(a.confusionShares[r][c].value))</span></td>"
                }.joined() + "</tr>\n"
            }
            out += "</tbody></table></div>\n<p class=\"hint\">A is the pair's model first by name. MT-Bench measured GPT-4 against experts at 66% with ties, 85% without.</p>\n"
        }
        return out + "</section>\n"
    }
}
