import ArgumentParser
import Comparisons
import Evaluation
import Foundation
import Rank
import Report
import Store
import Suite

/// `judge agreement SUITE.yaml`: how often a judge configuration agrees with people, or with another
/// judge configuration — MT-Bench's agreement with and without ties, Cohen's κ and the confusion
/// matrix, each with a bootstrap interval (`Rank.Agreement`).
struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "A judge configuration's agreement with human labels, or with another judge configuration.",
        discussion: """
        The judge is the suite's current judge configuration, or --judge's. It is compared with human pairwise \
        votes — the suite's human_labels: file, or --labels FILE (MT-Bench human-judgments / Chatbot Arena \
        shape: question_id, model_a, model_b, winner, optional task and judge) — or, with --against, with \
        another configuration in the store. Votes meet by item and model pair; every vote of one side counts \
        against every vote of the other on the same pair, as in MT-Bench. Figures: agreement with ties, \
        agreement without ties (pairs where either side says tie dropped), Cohen's kappa over A / tie / B, \
        and the confusion matrix, with 95% bootstrap intervals over the (item, pair) keys. The store is only read.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The suite file (YAML).")
    var suite: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var judgeChoice: JudgeChoiceOptions
    @Option(name: .long, help: "A human-labels file (JSONL) instead of the suite's human_labels.")
    var labels: String?
    @Option(name: .long, help: "Compare with this judge configuration in the store instead of human labels (NAME, NAME@TEMPLATE[@VERSION] or an id).")
    var against: String?
    @Option(name: .long, help: "Bootstrap rounds for the 95% intervals.")
    var bootstrap = 1000
    @Option(name: .long, help: "Seed of the bootstrap.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func validate() throws {
        try judgeChoice.check()
        if labels != nil, against != nil { throw ValidationError("pass --labels or --against, not both: the judge meets one other rater") }
        if let against, against.isEmpty { throw ValidationError("--against needs a judge name, NAME@TEMPLATE or an id") }
        if bootstrap < 0 { throw ValidationError("--bootstrap must be ≥ 0") }
    }

    func run() async throws {
        let definition = try Suite.load(from: URL(fileURLWithPath: suite))
        let reader = ComparisonReader(store: try store.openForReading(suiteFile: definition.file))
        let judge = try reader.configuration(suites: [definition.name], selection: judgeChoice.selection,
                                             current: try definition.judge.configuration())
        let first = try AgreementVotes.judge(reader, suite: definition.name, judge: judge)

        let second: [Vote], secondName: String
        if let against {
            let other = try reader.configuration(suites: [definition.name], selection: JudgeSelection(against), current: nil)
            guard other != judge else { throw ValidationError("--against names the judge itself (\(judge.description))") }
            second = try AgreementVotes.judge(reader, suite: definition.name, judge: other)
            secondName = other.description
        } else if let labels {
            let loaded = try HumanLabel.load(
                from: URL(fileURLWithPath: labels), displayPath: labels,
                tasks: Dictionary(definition.tasks.map { ($0.name, Set($0.items.map(\.id))) }, uniquingKeysWith: { a, _ in a }),
                models: Set(definition.models.map(\.name)))
            for warning in loaded.warnings { Diagnostics.note("\(warning)") }
            second = AgreementVotes.human(loaded.labels)
            secondName = "human labels (\(labels))"
        } else if let file = definition.humanLabelsFile {
            for warning in definition.warnings { Diagnostics.note("\(warning)") }
            second = AgreementVotes.human(definition.humanLabels)
            secondName = "human labels (\(file.lastPathComponent))"
        } else {
            throw ValidationError("no human labels: name a file in the suite (human_labels:) or pass --labels FILE; or compare two judges with --against")
        }

        let agreement = Agreement(first: first, second: second, bootstrapRounds: bootstrap, seed: seed)
        if agreement.matchedKeys == 0 {
            Diagnostics.note("judge agreement: no (item, pair) judged by both \(judge.description) and \(secondName)")
        }
        switch format {
        case .text:
            print(agreement.text(first: judge.description, second: secondName), terminator: "")
        case .json:
            struct Output: Encodable {
                var judge: String
                var against: String
                var agreement: Agreement
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Output(judge: judge.description, against: secondName, agreement: agreement)), as: UTF8.self))
        }
    }
}
