import Foundation
import Yams

/// Typed, located access to a YAML mapping, so every error names its file, line and field path.
///
/// Unknown keys are errors (with the closest known key suggested): a misspelt `held-out` silently
/// ignored would put a held-out task into the development set.
struct YAMLFields {
    let file: String
    /// The mapping's own path (`tasks[1]`); the empty string for the document root.
    let path: String
    let line: Int?
    private let values: [String: Node]

    init(_ node: Node, file: String, path: String, allowed: [String]) throws {
        self.file = file
        self.path = path
        self.line = node.mark?.line
        guard case .mapping(let mapping) = node else {
            throw SuiteError(file: file, line: node.mark?.line, field: path.isEmpty ? nil : path,
                             message: "expected a mapping of keys to values, found \(YAMLFields.describe(node))")
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw SuiteError(file: file, line: keyNode.mark?.line, field: path.isEmpty ? nil : path,
                                 message: "keys must be plain text")
            }
            let field = YAMLFields.join(path, key)
            guard allowed.contains(key) else {
                let hint = YAMLFields.closest(to: key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw SuiteError(file: file, line: keyNode.mark?.line, field: field,
                                 message: "unknown key\(hint); known keys here: \(allowed.joined(separator: ", "))")
            }
            guard values[key] == nil else {
                throw SuiteError(file: file, line: keyNode.mark?.line, field: field, message: "key given twice")
            }
            values[key] = value
        }
        self.values = values
    }

    // MARK: - Typed values (absent or `null` → nil)

    func node(_ key: String) -> Node? {
        guard let node = values[key] else { return nil }
        if case .scalar = node, node.null != nil { return nil }
        return node
    }

    func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw error(key, node, "expected text") }
        return scalar.string
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key), !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SuiteError(file: file, line: values[key]?.mark?.line ?? line, field: YAMLFields.join(path, key),
                             message: "required, and must not be empty")
        }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let node = node(key) else { return nil }
        guard let value = node.bool else { throw error(key, node, "expected true or false") }
        return value
    }

    /// A whole number within `limit` (``SettingLimits``): out of range, or too large for a number at all,
    /// is an error naming the range.
    func int(_ key: String, _ limit: SettingLimits.Limit) throws -> Int? {
        guard let node = node(key) else { return nil }
        guard let value = node.scalar.flatMap({ YAMLFields.wholeNumber($0.string) }) else {
            let digits = node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
            if !digits.isEmpty, digits.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) {
                throw error(key, node, "must be between \(limit.range.lowerBound) and \(limit.range.upperBound) (\(limit.meaning))")
            }
            throw error(key, node, "expected a whole number")
        }
        if let problem = limit.problem(value) { throw error(key, node, problem) }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude) throws -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.scalar.flatMap({ YAMLFields.number($0.string) }), value.isFinite else {
            throw error(key, node, "expected a number")
        }
        guard range.contains(value) else {
            throw error(key, node, "must be between \(SettingLimits.format(range.lowerBound)) and \(SettingLimits.format(range.upperBound))")
        }
        return value
    }

    func sequence(_ key: String) throws -> [Node]? {
        guard let node = node(key) else { return nil }
        guard case .sequence(let sequence) = node else { throw error(key, node, "expected a list") }
        return Array(sequence)
    }

    /// A mapping child read with its own allowed keys.
    func mapping(_ key: String, allowed: [String]) throws -> YAMLFields? {
        guard let node = node(key) else { return nil }
        return try YAMLFields(node, file: file, path: YAMLFields.join(path, key), allowed: allowed)
    }

    /// The keys present, for mappings whose keys are names (prices per model).
    var keys: [String] { values.keys.sorted() }

    func has(_ key: String) -> Bool { node(key) != nil }

    func error(_ key: String, _ node: Node?, _ message: String) -> SuiteError {
        let found = node.map { ", found \(YAMLFields.describe($0))" } ?? ""
        return SuiteError(file: file, line: node?.mark?.line ?? line, field: YAMLFields.join(path, key),
                          message: message + found)
    }

    // MARK: - Numbers

    /// A whole number in plain decimal (`1000`, `-3`, `1_000`), or nil, overflow included.
    ///
    /// Read by us, not by Yams's `Node.int`: that also reads YAML 1.1's base-60 numbers (`1:30`) and traps
    /// when one overflows, which the `suite` fuzz target found (`seed: 8::::…:55555555`, SIGILL).
    static func wholeNumber(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__") else { return nil }
        return Int(trimmed.replacingOccurrences(of: "_", with: ""))
    }

    /// A decimal number (`0.5`, `1e-3`, `.5`, `2`), or nil; `.inf` and `.nan` are read so the caller can
    /// refuse them as not finite. Read by us for the same reason as ``wholeNumber(_:)``.
    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case ".inf", "+.inf", "-.inf": return .infinity
        case ".nan": return .nan
        default: break
        }
        guard !trimmed.isEmpty, !trimmed.hasPrefix("_"), !trimmed.contains("__"),
              trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-._eE".contains($0)) }) else { return nil }
        return Double(trimmed.replacingOccurrences(of: "_", with: ""))
    }

    // MARK: - Helpers

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): SuiteError.quote(scalar.string)
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The allowed key within edit distance 2 of `key`, if any: the likely typo's fix.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let normalized = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if allowed.contains(normalized) { return normalized }
        return allowed
            .map { ($0, editDistance(Array(normalized), Array($0))) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1,
                                       previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
