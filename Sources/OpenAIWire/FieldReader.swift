// MARK: - FieldReader

/// Typed access to one JSON object of a request, throwing OpenAI's 400 for every wrong field.
///
/// `path` prefixes parameter names in messages ("messages[2].role"). A member set to `null` counts as
/// absent, as OpenAI's API treats it. Every key read is remembered, so `rejectUnknownKeys()` can name the
/// first argument this server does not understand instead of silently dropping it.
struct FieldReader {
    let members: [(key: String, value: JSONValue)]
    let path: String
    private var known: Set<String> = []

    /// - Throws: `APIError` when `value` is not an object.
    init(_ value: JSONValue, path: String) throws {
        guard case let .object(members) = value else {
            throw path.isEmpty
                ? APIError.invalidRequest("The request body must be a JSON object, but it is \(value.kindDescription).")
                : APIError.invalidType(path, expected: "an object", got: value)
        }
        self.members = members
        self.path = path
    }

    /// The parameter's full name in error messages.
    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member's value, nil when absent or null.
    mutating func value(_ key: String) -> JSONValue? {
        known.insert(key)
        guard let value = members.last(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    // MARK: - Typed reads

    mutating func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case let .string(string) = value else { throw APIError.invalidType(name(key), expected: "a string", got: value) }
        return string
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case let .bool(bool) = value else { throw APIError.invalidType(name(key), expected: "a boolean", got: value) }
        return bool
    }

    /// An integer in `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard case let .integer(integer) = value else { throw APIError.invalidType(name(key), expected: "an integer", got: value) }
        guard range.contains(integer) else {
            throw APIError.invalidValue(name(key), "\(integer) is out of range; expected \(Self.describe(range)).")
        }
        return integer
    }

    /// A number (integer or decimal) accepted by `isValid`, which `expected` describes.
    mutating func number(_ key: String, expected: String, where isValid: (Double) -> Bool) throws -> Double? {
        guard let value = value(key) else { return nil }
        let number: Double
        switch value {
        case let .integer(integer): number = Double(integer)
        case let .number(decimal): number = decimal
        default: throw APIError.invalidType(name(key), expected: "a number", got: value)
        }
        guard number.isFinite, isValid(number) else {
            throw APIError.invalidValue(name(key), "\(number) is out of range; expected \(expected).")
        }
        return number
    }

    // MARK: - Unknown members

    /// Marks keys that are accepted but do not change the reply (`user`, `metadata`, …).
    mutating func ignore(_ keys: String...) { known.formUnion(keys) }

    /// - Throws: `APIError` naming the first member that no read asked for.
    func rejectUnknownKeys() throws {
        guard let unknown = members.first(where: { !known.contains($0.key) }) else { return }
        if path.isEmpty {
            throw APIError.invalidRequest("Unrecognized request argument supplied: \(unknown.key)", param: unknown.key,
                                          code: "unknown_parameter")
        }
        throw APIError.invalidRequest("Unrecognized field '\(unknown.key)' in '\(path)'.", param: name(unknown.key),
                                      code: "unknown_parameter")
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): return "any integer"
        case (let low, Int.max): return "an integer ≥ \(low)"
        case let (low, high): return "an integer from \(low) to \(high)"
        }
    }
}
