import Foundation

/// Why a suite or items file could not be loaded: the file, the line (when known), the field and the cause.
///
/// Its description is one line a user can act on:
/// `suites/demo/suite.yaml:12: tasks[1].held_out: expected true or false, found "sometimes"`.
public struct SuiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file at fault, as the user would recognize it (the path given, not resolved further).
    public var file: String
    /// 1-based line number, when the cause has one.
    public var line: Int?
    /// The field's path in the document (`tasks[1].items`, `judge.prices.gpt-4.input`), or the item key.
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field, !field.isEmpty { text += "\(field): " }
        return text + message
    }
}

extension SuiteError {
    /// A value quoted for an error message: at most `limit` characters of it, and its length when cut, so a
    /// 10 MB value never becomes 10 MB of stderr.
    public static func quote(_ text: String, limit: Int = 80) -> String {
        guard text.count > limit else { return "\"\(text)\"" }
        return "\"\(text.prefix(limit))…\" (\(text.count) characters)"
    }
}

/// Something in a suite that loads but is probably not what the author meant.
public struct SuiteWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        "warning: \(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
