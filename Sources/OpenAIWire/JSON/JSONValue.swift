import Foundation

// MARK: - JSONValue

/// A JSON document as a plain tree: what request bodies are read into and what replies are built from,
/// on both sides of the wire (the server reads requests and writes replies; the client and the test server
/// the other way round).
///
/// Requests are read into a tree (rather than decoded straight into structs) so that every wrong field gets
/// OpenAI's precise 400 — which parameter, what type was expected, what came instead. Replies are built as
/// trees so that objects keep their field order and `null`s are written where OpenAI writes them.
///
/// ```swift
/// let body = try JSONValue.parse(Data(#"{"n": 1}"#.utf8))
/// let reply: JSONValue = ["object": "list", "data": []]
/// let bytes = reply.serialized()
/// ```
public enum JSONValue: Equatable, @unchecked Sendable {
    case null
    case bool(Bool)
    /// A number written without a fraction or exponent that fits in `Int`.
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order (replies keep the order they were built in).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            // Members compare as a set: the order of keys carries no meaning in JSON.
            return a.count == b.count && a.allSatisfy { member in b.contains { $0.key == member.key && $0.value == member.value } }
        default: return false
        }
    }

    // MARK: - Reading

    /// The member named `key` of an object (the last one, if a body repeats a key); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The element at `index` of an array; nil otherwise.
    public subscript(index: Int) -> JSONValue? {
        guard case let .array(elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The name OpenAI's error messages use for this kind of value ("a string", "an object", …).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a decimal"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements.map { (key: $0.0, value: $0.1) }) }
}

extension JSONValue {
    /// `.string`, or `.null` for nil.
    public init(_ string: String?) { self = string.map(JSONValue.string) ?? .null }
    /// `.integer`, or `.null` for nil.
    public init(_ integer: Int?) { self = integer.map(JSONValue.integer) ?? .null }
}

// MARK: - Appending members

extension JSONValue {
    /// Appends members to an object (replies are assembled from a shared header and their own parts).
    static func + (object: JSONValue, more: [(String, JSONValue)]) -> JSONValue {
        guard case let .object(members) = object else { preconditionFailure("not an object") }
        return .object(members + more.map { (key: $0.0, value: $0.1) })
    }
}
