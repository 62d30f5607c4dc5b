import ArgumentParser
import Foundation
import Candidates
import Store
import Suite

/// `judge import FILE.jsonl [--suite SUITE.yaml] [--db PATH]`: adds candidate outputs to the store.
///
/// Items are looked up in the suite: give `--suite` (the suite is then recorded in the store, and the
/// default store is `judge.sqlite` beside it), or leave it out when the store already holds exactly
/// one suite. Every bad line is reported with its number and nothing is imported until the file is clean.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add candidate outputs (JSONL: model, task, item_id, output) to the store.",
        discussion: """
        Each line of FILE is one JSON object: {"model": "gpt-4", "task": "extraction", "item_id": "e-01", "output": "..."}. \
        Items are matched by task name and item id in the suite given with --suite, or in the one suite the store holds. \
        Bad JSON, missing fields, unknown tasks or items and duplicate lines are all reported with their line \
        numbers, and then nothing is imported. Importing the same file again changes nothing; a changed output \
        replaces the model's current one (the old one and its judgments stay in the store).
        """
    )

    @Argument(help: "The outputs file (JSONL).")
    var file: String

    @Option(name: .long, help: "The suite whose items the outputs answer (recorded in the store).")
    var suite: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let loaded = try suite.map(SuiteLoading.load)
        let judgeStore = try store.open(suiteFile: loaded?.file)
        let ids: SuiteIDs
        if let loaded {
            ids = try judgeStore.saveSuite(loaded.storeDefinition)
        } else {
            let names = try judgeStore.suiteNames()
            guard names.count == 1 else {
                throw ValidationError(names.isEmpty
                    ? "the store \(store.path(suiteFile: nil)) holds no suite yet: give --suite SUITE.yaml so the items can be found"
                    : "the store holds several suites (\(names.joined(separator: ", "))): give --suite SUITE.yaml to say which")
            }
            ids = try judgeStore.suiteIDs(names[0])
        }

        guard let data = FileManager.default.contents(atPath: file) else {
            throw ImportFailure(message: "\(file): cannot read the outputs file (does it exist?)")
        }
        let parsed = OutputsFile.parse(data, file: file)
        let resolved = OutputsFile.resolve(parsed.lines, ids: ids, file: file)
        let problems = (parsed.problems + resolved.problems).sorted { $0.line < $1.line }
        guard problems.isEmpty else {
            for problem in problems.prefix(50) { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            if problems.count > 50 { FileHandle.standardError.write(Data("… and \(problems.count - 50) more\n".utf8)) }
            throw ImportFailure(message: "\(file): \(problems.count) bad line(s); nothing imported. Fix them and run again.")
        }
        guard !resolved.imports.isEmpty else { throw ImportFailure(message: "\(file): no outputs in the file; nothing imported") }

        let summary = try judgeStore.importCandidates(resolved.imports)
        print("imported \(resolved.imports.count) output(s) from \(file): \(summary.added) added, \(summary.replaced) replaced, \(summary.unchanged) unchanged")
        if !summary.newModels.isEmpty { print("new models: \(summary.newModels.joined(separator: ", "))") }
        if let loaded {
            let outside = Set(parsed.lines.map(\.model)).subtracting(loaded.models.map(\.name)).sorted()
            if !outside.isEmpty {
                FileHandle.standardError.write(Data("note: \(outside.joined(separator: ", ")) not in the suite's models: stored, but `judge compare` judges only the suite's models\n".utf8))
            }
        }
    }
}

/// `judge import` could not import the file; the description says what to fix.
struct ImportFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
