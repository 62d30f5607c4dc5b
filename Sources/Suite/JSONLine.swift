import Foundation

/// One JSON value of a JSONL line, decoded without losing the difference between `1`, `true` and `"1"`.
enum JSONLine: Decodable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array
    case object([String: JSONLine])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int.self) { self = .integer(value); return }
        if let value = try? container.decode(Double.self) { self = .number(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode([String: JSONLine].self) { self = .object(value); return }
        if (try? container.decode([JSONLine].self)) != nil { self = .array; return }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
    }

    /// Parses one line as a JSON object; the error is a short cause fit for "file:line: cause".
    static func object(from line: Substring) -> Result<[String: JSONLine], LineError> {
        let value: JSONLine
        do {
            value = try JSONDecoder().decode(JSONLine.self, from: Data(line.utf8))
        } catch {
            return .failure(LineError(message: "not valid JSON (\(JSONLine.summary(of: error)))"))
        }
        guard case .object(let object) = value else {
            return .failure(LineError(message: "expected a JSON object ({…}) on each line"))
        }
        return .success(object)
    }

    struct LineError: Error { var message: String }

    /// The objects of a JSONL file with their 1-based line numbers, from its bytes (``JSONLines``: LF or
    /// CRLF line ends, blank lines skipped, invalid UTF-8 and NUL refused with their line).
    /// - Throws: ``SuiteError`` naming `displayPath` and the line of the first line that is not a JSON object.
    static func objects(_ data: Data, displayPath: String) throws -> [(number: Int, object: [String: JSONLine])] {
        if let problem = JSONLines.fileProblem(data) { throw SuiteError(file: displayPath, message: problem) }
        return try JSONLines.lines(data).map { line in
            let result = line.text.flatMap { text in
                object(from: text[...]).mapError { JSONLines.LineError(message: $0.message) }
            }
            switch result {
            case .success(let value): return (line.number, value)
            case .failure(let error): throw SuiteError(file: displayPath, line: line.number, message: error.message)
            }
        }
    }

    static func objects(_ text: String, displayPath: String) throws -> [(number: Int, object: [String: JSONLine])] {
        try objects(Data(text.utf8), displayPath: displayPath)
    }

    /// Reads a JSONL file's bytes; a directory or an unreadable file is an error naming `what`.
    static func read(_ file: URL, displayPath: String, what: String) throws -> Data {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SuiteError(file: displayPath, message: "is a directory, not a JSONL file")
        }
        do {
            return try Data(contentsOf: file)
        } catch {
            throw SuiteError(file: displayPath, message: "cannot read \(what) (\(Suite.reason(error)))")
        }
    }

    var kind: String {
        switch self {
        case .string: "text"
        case .integer, .number: "a number"
        case .bool: "true/false"
        case .null: "null"
        case .array: "a list"
        case .object: "an object"
        }
    }

    static func summary(of error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
