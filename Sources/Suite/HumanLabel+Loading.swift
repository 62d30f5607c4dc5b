import Foundation

extension HumanLabel {
    // MARK: - Human-labels files (JSONL)

    /// Keys a label line may carry without a warning (MT-Bench's human judgments and Arena's battles
    /// carry the conversations and metadata too; those are ignored silently).

    /// Reads a human-labels file: one vote a line (see ``HumanLabel``), blank lines ignored, CRLF accepted.
    ///
    /// - `question_id` (or `item`): the suite item's id, text or a whole number; `task` (optional): its
    ///   task, needed only when tasks share item ids;
    /// - `model_a`, `model_b`: two different models of the suite;
    /// - `winner`: `model_a`, `model_b`, `tie` or `tie (bothbad)`;
    /// - `judge` (optional): who voted; `turn` (optional): MT-Bench's turn — a suite item is one
    ///   prompt, so votes on later turns are skipped with a warning.
    /// - Parameters:
    ///   - tasks: the suite's item ids by task; a vote on another item is an error. nil accepts any.
    ///   - models: the suite's model names; a vote naming another is an error. nil accepts any.
    /// - Throws: ``SuiteError`` naming the file, line and field: unreadable file, bad JSON, a missing
    ///   or unknown item, model or winner, the same model on both sides, a file without votes.
    public static func load(from file: URL, displayPath: String, tasks: [String: Set<String>]? = nil,
                            models: Set<String>? = nil) throws -> (labels: [HumanLabel], warnings: [SuiteWarning]) {
        let data = try JSONLine.read(file, displayPath: displayPath, what: "the human-labels file")
        return try parse(jsonl: data, displayPath: displayPath, tasks: tasks, models: models)
    }

    /// Parses human-labels JSONL text; see ``load(from:displayPath:tasks:models:)``.
    public static func parse(jsonl text: String, displayPath: String, tasks: [String: Set<String>]? = nil,
                             models: Set<String>? = nil) throws -> (labels: [HumanLabel], warnings: [SuiteWarning]) {
        try parse(jsonl: Data(text.utf8), displayPath: displayPath, tasks: tasks, models: models)
    }

    /// Parses human-labels JSONL bytes (invalid UTF-8 and NUL are errors with their line).
    public static func parse(jsonl data: Data, displayPath: String, tasks: [String: Set<String>]? = nil,
                             models: Set<String>? = nil) throws -> (labels: [HumanLabel], warnings: [SuiteWarning]) {
        var labels: [HumanLabel] = []
        var warnings: [SuiteWarning] = []
        var laterTurns = 0
        for (number, object) in try JSONLine.objects(data, displayPath: displayPath) {
            func fail(_ field: String?, _ message: String) -> SuiteError {
                SuiteError(file: displayPath, line: number, field: field, message: message)
            }

            let itemKey = object["question_id"] != nil || object["item"] == nil ? "question_id" : "item"
            let item: String
            switch object[itemKey] {
            case .string(let value) where !value.isEmpty: item = value
            case .integer(let value): item = String(value)
            case nil, .null: throw fail(itemKey, "required: the id of the item voted on (question_id or item)")
            case let other?: throw fail(itemKey, "expected non-empty text or a whole number, found \(other.kind)")
            }
            var task: String?
            switch object["task"] {
            case nil, .null: task = nil
            case .string(let value): task = value
            case let other?: throw fail("task", "expected a task name, found \(other.kind)")
            }
            if let tasks {
                if let named = task {
                    guard let ids = tasks[named] else {
                        throw fail("task", "unknown task \"\(named)\" (the suite's tasks: \(tasks.keys.sorted().joined(separator: ", ")))")
                    }
                    guard ids.contains(item) else { throw fail(itemKey, "unknown item \"\(item)\": task \(named) has no item with this id") }
                } else {
                    let holders = tasks.filter { $0.value.contains(item) }.map(\.key).sorted()
                    guard let only = holders.first else {
                        throw fail(itemKey, "unknown item \"\(item)\": no task of the suite has an item with this id")
                    }
                    guard holders.count == 1 else {
                        throw fail(itemKey, "item \"\(item)\" is in tasks \(holders.joined(separator: ", ")): add \"task\" to say which")
                    }
                    task = only
                }
            }

            func model(_ key: String) throws -> String {
                switch object[key] {
                case .string(let value) where !value.isEmpty:
                    if let models, !models.contains(value) {
                        throw fail(key, "unknown model \"\(value)\" (the suite's models: \(models.sorted().joined(separator: ", ")))")
                    }
                    return value
                case nil, .null: throw fail(key, "required: the name of a model of the suite")
                case let other?: throw fail(key, "expected a model name, found \(other.kind)")
                }
            }
            let a = try model("model_a"), b = try model("model_b")
            guard a != b else { throw fail("model_b", "the same model as model_a (\"\(a)\"): a vote compares two models") }

            let choices = Winner.allCases.map(\.rawValue).joined(separator: ", ")
            let winner: Winner
            switch object["winner"] {
            case .string(let value):
                guard let parsed = Winner(rawValue: value) else { throw fail("winner", "unknown winner \"\(value)\" (expected \(choices))") }
                winner = parsed
            case nil, .null: throw fail("winner", "required: one of \(choices)")
            case let other?: throw fail("winner", "expected one of \(choices), found \(other.kind)")
            }

            var voter: String?
            switch object["judge"] {
            case nil, .null: voter = nil
            case .string(let value): voter = value
            case .integer(let value): voter = String(value)
            case let other?: throw fail("judge", "expected the voter's name, found \(other.kind)")
            }
            switch object["turn"] {
            case nil, .null, .integer(1): break
            case .integer(let turn) where turn > 1: laterTurns += 1; continue
            case let other?: throw fail("turn", "expected a turn number ≥ 1, found \(other.kind == "a number" ? "\(other)" : other.kind)")
            }
            labels.append(HumanLabel(item: item, task: task, modelA: a, modelB: b, winner: winner, voter: voter, line: number))
        }
        if laterTurns > 0 {
            warnings.append(SuiteWarning(file: displayPath, message:
                "skipped \(laterTurns) votes on turns after the first: a suite item is a single prompt"))
        }
        guard !labels.isEmpty else { throw SuiteError(file: displayPath, message: "the human-labels file has no votes") }
        return (labels, warnings)
    }
}
