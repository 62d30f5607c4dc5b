import Foundation

// MARK: - JSONLines

/// The lines of a JSONL file, from its bytes: split at LF or CRLF, each checked to be UTF-8 on its own, so a
/// bad byte is reported with its line instead of failing the whole file ("The file isn't in the correct
/// format") or being replaced with U+FFFD in silence.
///
/// Shared by the items reader and `judge import`'s outputs reader: both refuse what they cannot keep
/// exactly — invalid UTF-8, a UTF-16 file, and NUL (raw or as `\u0000`), which the store's text columns
/// would cut short.
public enum JSONLines {
    /// One non-blank line: its 1-based number and its text, or why its bytes are not text.
    public struct Line: Sendable {
        public var number: Int
        public var text: Result<String, LineError>
    }

    public struct LineError: Error, Sendable, Hashable {
        public var message: String
    }

    /// Why the whole file cannot be read as JSONL (a UTF-16 byte-order mark), or nil.
    public static func fileProblem(_ data: Data) -> String? {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        }
        return nil
    }

    /// The non-blank lines of `data` (a UTF-8 byte-order mark at the start is skipped).
    public static func lines(_ data: Data) -> [Line] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var result: [Line] = []
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
            result.append(Line(number: number, text: text(of: line)))
        }
        return result
    }

    /// The text of one line's bytes, refusing invalid UTF-8 and NUL.
    static func text(of bytes: ArraySlice<UInt8>) -> Result<String, LineError> {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var character = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\0" {
                    return .failure(LineError(message: "contains a NUL byte (at character \(character)), which cannot be stored"))
                }
                character += 1
            case .emptyInput:
                break loop
            case .error:
                return .failure(LineError(message: "not valid UTF-8 (at character \(character)); save the file as UTF-8"))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))  // valid: decoded exactly
    }

    /// The message for a decoded text field holding NUL (`\u0000`), or nil.
    public static func nulProblem(_ value: String, field: String) -> String? {
        value.utf8.contains(0) ? "\"\(field)\" contains NUL (\\u0000), which the store cannot keep; remove it" : nil
    }
}
