import Foundation

extension SuiteItem {
    // MARK: - Items files (JSONL)

    /// Keys an item line may carry; others load with a warning (datasets often carry extra metadata).
    static let keys: Set<String> = ["id", "prompt", "system", "reference"]

    /// Reads an items file: one JSON object a line, blank lines ignored.
    ///
    /// - Throws: ``SuiteError`` with the line number for an unreadable file, bad JSON, a missing or
    ///   non-text `prompt`, a missing `id`, a duplicate `id` (naming the first line), or an empty file.
    public static func load(from file: URL, displayPath: String) throws -> (items: [SuiteItem], warnings: [SuiteWarning]) {
        try parse(jsonl: JSONLine.read(file, displayPath: displayPath, what: "the items file"), displayPath: displayPath)
    }

    /// Parses items JSONL text; see ``load(from:displayPath:)``.
    public static func parse(jsonl text: String, displayPath: String) throws -> (items: [SuiteItem], warnings: [SuiteWarning]) {
        try parse(jsonl: Data(text.utf8), displayPath: displayPath)
    }

    /// Parses items JSONL bytes (LF or CRLF lines; invalid UTF-8 and NUL are errors with their line).
    public static func parse(jsonl data: Data, displayPath: String) throws -> (items: [SuiteItem], warnings: [SuiteWarning]) {
        var items: [SuiteItem] = []
        var warnings: [SuiteWarning] = []
        var firstLine: [String: Int] = [:]
        for (number, object) in try JSONLine.objects(data, displayPath: displayPath) {
            func fail(_ field: String?, _ message: String) -> SuiteError {
                SuiteError(file: displayPath, line: number, field: field, message: message)
            }
            let id: String
            switch object["id"] {
            case .string(let value) where !value.isEmpty: id = value
            case .integer(let value): id = String(value)
            case nil, .null: throw fail("id", "required: every item needs an id (text or a whole number)")
            case let other?: throw fail("id", "expected non-empty text or a whole number, found \(other.kind)")
            }
            if let first = firstLine[id] {
                throw fail("id", "duplicate item id \(SuiteError.quote(id)) (first on line \(first))")
            }
            firstLine[id] = number
            guard case .string(let prompt)? = object["prompt"] else {
                throw fail("prompt", object["prompt"] == nil || object["prompt"] == .null
                           ? "required: item \(SuiteError.quote(id)) has no prompt"
                           : "expected text, found \(object["prompt"]!.kind)")
            }
            guard !prompt.allSatisfy(\.isWhitespace) else { throw fail("prompt", "item \(SuiteError.quote(id)) has an empty prompt") }
            func optionalText(_ key: String) throws -> String? {
                switch object[key] {
                case nil, .null: return nil
                case .string(let value):
                    if let problem = JSONLines.nulProblem(value, field: key) { throw fail(key, problem) }
                    return value
                case let other?: throw fail(key, "expected text, found \(other.kind)")
                }
            }
            if let problem = JSONLines.nulProblem(prompt, field: "prompt") { throw fail("prompt", problem) }
            if let problem = JSONLines.nulProblem(id, field: "id") { throw fail("id", problem) }
            let item = SuiteItem(id: id, prompt: prompt, system: try optionalText("system"),
                                 reference: try optionalText("reference"))
            let unknown = Set(object.keys).subtracting(keys).sorted()
            if !unknown.isEmpty {
                warnings.append(SuiteWarning(file: displayPath, line: number,
                                             message: "ignored keys \(unknown.joined(separator: ", ")) (known: id, prompt, system, reference)"))
            }
            items.append(item)
        }
        guard !items.isEmpty else { throw SuiteError(file: displayPath, message: "the items file has no items") }
        return (items, warnings)
    }
}
