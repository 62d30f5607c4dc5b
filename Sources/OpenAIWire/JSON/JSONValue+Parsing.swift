import Foundation

// MARK: - Parsing

extension JSONValue: Decodable {
    /// Parses a complete JSON document.
    /// - Throws: `JSONValue.ParseError` with the decoder's explanation (line and column where it has them).
    public static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw ParseError(reason: Self.explanation(of: error))
        }
    }

    public init(from decoder: Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.map { (key: $0.stringValue, value: try object.decode(JSONValue.self, forKey: $0)) })
            return
        }
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? value.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? value.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try value.decode(String.self))
        }
    }

    /// The innermost explanation a `DecodingError` carries ("Unexpected character 'x' around line 1, column 5.").
    private static func explanation(of error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context),
             let .keyNotFound(_, context):
            var reason = context.debugDescription
            var underlying = context.underlyingError
            while let next = underlying {
                let text = (next as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(next)"
                if !text.isEmpty { reason = text }
                underlying = (next as NSError).userInfo[NSUnderlyingErrorKey] as? Error
            }
            return reason
        @unknown default:
            return "\(error)"
        }
    }

    /// A body that is not JSON.
    public struct ParseError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
