import Foundation

/// A suite: what to evaluate (tasks and their items), who is evaluated (models) and who judges.
///
/// The start of the data flow suite → candidates → comparisons → verdicts → ratings → reports.
/// A suite is a YAML file whose tasks point at JSONL item files beside it:
///
/// ```yaml
/// name: demo
/// description: extraction and classification on support tickets
/// tasks:
///   - name: extraction
///     items: extraction.jsonl      # relative to this file
///   - name: structured-extraction
///     items: structured.jsonl
///     held_out: true
/// models:
///   - name: gpt-4                  # outputs come from `judge import`
///   - name: smollm2-greedy
///     path: models/smollm2.gguf    # a local GGUF model (generation: end-to-end issue)
/// judge:
///   url: http://127.0.0.1:8080/v1
///   model: gpt-4
///   template: pairwise
///   prices: { gpt-4: { input: 30, output: 60 } }   # USD per million tokens
/// ```
///
/// ```swift
/// let suite = try Suite.load(from: URL(fileURLWithPath: "suites/demo/suite.yaml"))
/// for task in suite.tasks { print(task.name, task.items.count) }
/// ```
///
/// Loading validates everything it can: unknown keys, wrong types, duplicate names and item ids,
/// missing prompts and unreadable files are ``SuiteError``s naming the file, the line and the field.
public struct Suite: Sendable, Hashable {
    /// The suite's name; the store keys the suite by it.
    public var name: String
    public var description: String?
    /// The suite file itself (absolute, standardized); relative paths in it resolve against its folder.
    public var file: URL
    public var tasks: [SuiteTask]
    public var models: [ModelSpec]
    /// The judge; a suite without a `judge:` section gets the defaults of ``JudgeSpec``.
    public var judge: JudgeSpec
    /// Things that are allowed but probably not meant (unknown keys in item lines, …), for the user to read.
    public var warnings: [SuiteWarning]
    /// `human_labels:` — human pairwise votes on the suite's items and models (checked when the suite
    /// loads); the report measures the judge's agreement with them. Empty without the key.
    public var humanLabels: [HumanLabel] = []
    /// The human-labels file, when the suite names one.
    public var humanLabelsFile: URL?

    public init(
        name: String,
        description: String? = nil,
        file: URL,
        tasks: [SuiteTask],
        models: [ModelSpec],
        judge: JudgeSpec = JudgeSpec(),
        warnings: [SuiteWarning] = []
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.tasks = tasks
        self.models = models
        self.judge = judge
        self.warnings = warnings
    }

    /// The folder that holds the suite file: the base of every relative path in it.
    public var directory: URL { file.deletingLastPathComponent() }

    /// The task called `name`, if the suite has one.
    public func task(named name: String) -> SuiteTask? { tasks.first { $0.name == name } }

    /// The model called `name`, if the suite has one.
    public func model(named name: String) -> ModelSpec? { models.first { $0.name == name } }
}
