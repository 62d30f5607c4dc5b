import ArgumentParser
import Foundation
import Rank

/// `--strict`, shared by `compare`, `report` and `leaderboard`: exit 4 when the judge is unreliable.
///
/// Whatever the flag, an unreliable judge is said first on stderr, in plain words; the flag only turns
/// it into an exit status a nightly job can alert on.
struct StrictOption: ParsableArguments {
    /// The exit status of an unreliable judge under `--strict`.
    static let unreliableJudgeStatus: Int32 = 4

    @Flag(name: .long, help: "Exit 4 when the judge is unreliable (its verdicts explained by position alone), so a nightly job can alert.")
    var strict = false

    /// Warns on stderr when `reliability` says the judge is unreliable; true when `--strict` should then exit 4.
    func warn(_ reliability: JudgeReliability?, context: String) -> Bool {
        guard let warning = reliability?.warning else { return false }
        Diagnostics.note("warning: \(context): \(warning)")
        return strict
    }
}
