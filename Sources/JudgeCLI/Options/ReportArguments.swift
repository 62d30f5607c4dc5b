import ArgumentParser
import Foundation

/// What the commands that write a report — `report`, `leaderboard`, `compare` — add to the rating options:
/// how many sample comparisons it shows, and phase timings on stderr.
struct ReportArguments: ParsableArguments {
    @Option(name: .long, help: "Sample comparisons per suite shown in the report.")
    var samples = 12
    @Flag(name: .long, help: "Print how long each phase took, on stderr.")
    var verbose = false

    func check() throws {
        if samples < 0 { throw ValidationError("--samples must be ≥ 0") }
    }

    /// Under `--verbose`, a report builder's phase timer that writes to stderr.
    var phaseTimer: (@Sendable (String, Double) -> Void)? {
        guard verbose else { return nil }
        return { name, seconds in
            FileHandle.standardError.write(Data((String(format: "%8.3f s  ", seconds) + name + "\n").utf8))
        }
    }
}
