import ArgumentParser
import Comparisons

/// `--judge SPEC`, shared by the commands that rate stored comparisons: which judge configuration to
/// rate. Without it they rate the suite's current judge (or the only configuration stored).
struct JudgeChoiceOptions: ParsableArguments {
    @Option(name: .customLong("judge"),
            help: "The judge configuration to rate: NAME, NAME@TEMPLATE[@VERSION], or an id from `judge rank --list-judges` (default: the suite's judge).")
    var judge: String?

    var selection: JudgeSelection? { judge.map(JudgeSelection.init) }

    func check() throws {
        if let judge, judge.isEmpty { throw ValidationError("--judge needs a judge name, NAME@TEMPLATE or an id") }
    }
}
