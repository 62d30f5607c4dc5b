import Comparisons
import Foundation
import Rank
import Store

// MARK: - JudgeListing: `judge rank --list-judges`

/// The judge configurations of the store's suite, one line each: the id `--judge` accepts, the judge
/// model and template, verdict mode, sampling settings, judgments stored (and failed) and resolved
/// comparisons. The suite file's current judge is marked `*`.
struct JudgeListing {
    var source: ComparisonSource

    func render() throws -> String {
        let opened = try source.open()
        let current = try opened.definition?.judge.configuration()
        let found = try opened.reader.configurations(suites: [opened.suite])
        guard !found.isEmpty else { return "suite \(opened.suite) has no judgments yet\n" }
        let header = ["", "id", "judge", "version", "verdict", "temperature", "max_tokens", "judgments", "failed", "comparisons"]
        var rows: [[String]] = []
        for entry in found {
            let c = entry.configuration
            let resolved = try opened.reader.health(suites: [opened.suite], judge: c).resolvedComparisons
            rows.append([c == current ? "*" : "", c.shortID, c.selector, c.templateVersion, c.verdictMode.rawValue,
                         c.temperature.map { JudgeConfiguration.format($0) } ?? "?", c.maxTokens.map(String.init) ?? "?",
                         "\(entry.judgments)", "\(entry.failed)", "\(resolved)"])
        }
        var out = TextTable(header: header, leftAligned: [0, 1, 2, 3, 4]).render(rows)
        if found.contains(where: { $0.configuration.temperature == nil }) {
            out += "? = not recorded: judged before the store recorded the judge's temperature and max_tokens\n"
        }
        return out
    }
}
