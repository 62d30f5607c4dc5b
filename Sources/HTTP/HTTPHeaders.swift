/// HTTP header fields in order, looked up case-insensitively (field names are case-insensitive, RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var fields: [Field]

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or `nil`; setting replaces every field of that name (`nil` removes them).
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.caseInsensitiveEquals(name) }?.value }
        set {
            fields.removeAll { $0.name.caseInsensitiveEquals(name) }
            if let newValue { fields.append(Field(name: name, value: newValue)) }
        }
    }

    public mutating func add(name: String, value: String) { fields.append(Field(name: name, value: value)) }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

// MARK: - Printing without secrets

extension HTTPHeaders: CustomStringConvertible, CustomReflectable {
    /// Fields whose values are credentials: printed as `[redacted]`.
    static let sensitiveNames: Set<String> = ["authorization", "proxy-authorization", "api-key", "x-api-key", "cookie"]

    private var printable: [(String, String)] {
        fields.map { ($0.name, Self.sensitiveNames.contains($0.name.lowercased()) ? "[redacted]" : $0.value) }
    }

    /// `[Name: value, …]` with credentials redacted, so a logged request never shows a key.
    public var description: String {
        "[" + printable.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "]"
    }

    public var customMirror: Mirror {
        Mirror(self, unlabeledChildren: printable.map { "\($0.0): \($0.1)" }, displayStyle: .collection)
    }
}
