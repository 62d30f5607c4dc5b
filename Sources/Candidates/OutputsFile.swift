import Foundation
import Store
import Suite

/// A JSONL file of candidate outputs for `judge import`: one object a line,
/// `{"model": "gpt-4", "task": "extraction", "item_id": "e-01", "output": "…"}`.
///
/// Reading is strict and complete: every bad line is reported with its number (bad JSON, a missing or
/// mistyped field, an unknown task or item, a second line for the same model, task and item), and the
/// caller imports nothing unless there are no problems — nothing is silently dropped.
///
/// ```swift
/// let parsed = OutputsFile.parse(text, file: "outputs.jsonl")
/// let resolved = OutputsFile.resolve(parsed.lines, ids: ids, file: "outputs.jsonl")
/// guard parsed.problems.isEmpty, resolved.problems.isEmpty else { … }
/// try store.importCandidates(resolved.imports)
/// ```
public enum OutputsFile {
    /// One well-formed line.
    public struct Line: Sendable, Hashable {
        public var number: Int
        public var model: String
        public var task: String
        public var itemID: String
        public var output: String
    }

    /// One bad line: `outputs.jsonl:7: unknown item "e-99" in task extraction`.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    // MARK: - Parsing

    /// Parses every line; blank lines are skipped. Duplicates of (model, task, item_id) are problems.
    public static func parse(_ text: String, file: String) -> (lines: [Line], problems: [Problem]) {
        parse(Data(text.utf8), file: file)
    }

    /// Parses the file's bytes: LF or CRLF lines; a line that is not UTF-8 or holds NUL (raw or `\u0000`)
    /// is a problem, never stored altered.
    public static func parse(_ data: Data, file: String) -> (lines: [Line], problems: [Problem]) {
        if let problem = JSONLines.fileProblem(data) { return ([], [Problem(file: file, line: 1, message: problem)]) }
        var lines: [Line] = []
        var problems: [Problem] = []
        var firstSeen: [String: Int] = [:]
        for jsonLine in JSONLines.lines(data) {
            let number = jsonLine.number
            let text: String
            switch jsonLine.text {
            case .success(let value): text = value
            case .failure(let error):
                problems.append(Problem(file: file, line: number, message: error.message))
                continue
            }
            do {
                let decoded = try JSONDecoder().decode(RawLine.self, from: Data(text.utf8))
                let line = Line(number: number, model: decoded.model, task: decoded.task, itemID: decoded.itemID, output: decoded.output)
                let identity = ContentKey.make([line.model, line.task, line.itemID])
                if let first = firstSeen[identity] {
                    problems.append(Problem(file: file, line: number,
                                            message: "duplicate: model \(Self.short(line.model)), task \(Self.short(line.task)), item \(Self.short(line.itemID)) already given on line \(first)"))
                    continue
                }
                firstSeen[identity] = number
                lines.append(line)
            } catch {
                problems.append(Problem(file: file, line: number, message: describe(error)))
            }
        }
        return (lines, problems)
    }

    /// Matches lines to the store's items; unknown tasks and items are problems.
    public static func resolve(_ lines: [Line], ids: SuiteIDs, file: String) -> (imports: [CandidateImport], problems: [Problem]) {
        var imports: [CandidateImport] = []
        var problems: [Problem] = []
        for line in lines {
            guard let items = ids.items[line.task] else {
                problems.append(Problem(file: file, line: line.number,
                                        message: "unknown task \(SuiteError.quote(line.task)) (the suite's tasks: \(ids.items.keys.sorted().joined(separator: ", ")))"))
                continue
            }
            guard let itemID = items[line.itemID] else {
                problems.append(Problem(file: file, line: line.number, message: "unknown item \(SuiteError.quote(line.itemID)) in task \(Self.short(line.task))"))
                continue
            }
            imports.append(CandidateImport(model: line.model, itemID: itemID, output: line.output))
        }
        return (imports, problems)
    }

    // MARK: - Decoding

    private struct RawLine: Decodable {
        var model: String
        var task: String
        var itemID: String
        var output: String

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        static let known = ["model", "task", "item_id", "output"]

        init(from decoder: Decoder) throws {
            let container: KeyedDecodingContainer<Key>
            do {
                container = try decoder.container(keyedBy: Key.self)
            } catch {
                throw LineError("expected a JSON object ({\"model\", \"task\", \"item_id\", \"output\"}) on each line")
            }
            let unknown = container.allKeys.map(\.stringValue).filter { !Self.known.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw LineError("unknown key(s) \(unknown.joined(separator: ", ")); a line has exactly model, task, item_id, output")
            }
            func text(_ name: String, allowEmpty: Bool = false) throws -> String {
                let key = Key(stringValue: name)
                guard container.contains(key), !(try container.decodeNil(forKey: key)) else { throw LineError("missing \"\(name)\"") }
                guard let value = try? container.decode(String.self, forKey: key) else { throw LineError("\"\(name)\" must be text") }
                if !allowEmpty, value.allSatisfy(\.isWhitespace) { throw LineError("\"\(name)\" is empty") }
                if let problem = JSONLines.nulProblem(value, field: name) { throw LineError(problem) }
                return value
            }
            model = try text("model")
            task = try text("task")
            output = try text("output", allowEmpty: true)
            let idKey = Key(stringValue: "item_id")
            guard container.contains(idKey), !(try container.decodeNil(forKey: idKey)) else { throw LineError("missing \"item_id\"") }
            if let value = try? container.decode(String.self, forKey: idKey), !value.isEmpty {
                if let problem = JSONLines.nulProblem(value, field: "item_id") { throw LineError(problem) }
                itemID = value
            } else if let value = try? container.decode(Int.self, forKey: idKey) {
                itemID = String(value)
            } else {
                throw LineError("\"item_id\" must be non-empty text or a whole number")
            }
        }
    }

    /// A name for a message, cut to a bounded prefix when long (unquoted, as the messages print names).
    static func short(_ text: String) -> String {
        text.count > 80 ? "\(text.prefix(80))… (\(text.count) characters)" : text
    }

    struct LineError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? LineError { return error.message }
        if case DecodingError.dataCorrupted(let context) = error {
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "not valid JSON (\(detail ?? context.debugDescription))"
        }
        return "not valid JSON (\(error))"
    }
}
