import Foundation

/// One GGUF metadata value. Arrays hold values of one element type and may nest.
public enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    /// Elements all of one type; GGUF stores that type once, so an empty array keeps no element type.
    case array([GGUFValue])

    /// The GGUF type tag of this value.
    public var valueType: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }
}

/// The type tags of GGUF metadata values, as stored in the file.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// Size in bytes of a fixed-size value; nil for strings and arrays.
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value of this type takes (a string: its 8-byte length; an array: type + count).
    var minimumSize: Int { fixedSize ?? (self == .string ? 8 : 12) }
}

// MARK: - Convenience accessors

extension GGUFValue {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// Any integer type as `Int`; nil for non-integers and for uint64 values above `Int.max`.
    public var intValue: Int? {
        switch self {
        case let .uint8(v): return Int(v)
        case let .int8(v): return Int(v)
        case let .uint16(v): return Int(v)
        case let .int16(v): return Int(v)
        case let .uint32(v): return Int(v)
        case let .int32(v): return Int(v)
        case let .uint64(v): return v <= UInt64(Int.max) ? Int(v) : nil
        case let .int64(v): return Int(v)
        default: return nil
        }
    }

    /// Floating-point values, and integers converted, as `Double`.
    public var floatValue: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return intValue.map(Double.init)
        }
    }

    /// The boolean, if this is a bool.
    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [GGUFValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    /// The elements as strings, if this is an array of strings (an empty array counts).
    public var stringArray: [String]? {
        guard case let .array(a) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for element in a {
            guard case let .string(s) = element else { return nil }
            out.append(s)
        }
        return out
    }

    /// The elements as `Float`, if this is an array of numbers.
    public var floatArray: [Float]? {
        guard case let .array(a) = self else { return nil }
        var out: [Float] = []
        out.reserveCapacity(a.count)
        for element in a {
            guard let v = element.floatValue else { return nil }
            out.append(Float(v))
        }
        return out
    }

    /// The elements as `Int`, if this is an array of integers.
    public var intArray: [Int]? {
        guard case let .array(a) = self else { return nil }
        var out: [Int] = []
        out.reserveCapacity(a.count)
        for element in a {
            guard let v = element.intValue else { return nil }
            out.append(v)
        }
        return out
    }
}

extension GGUFValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .uint8(v): return "\(v)"
        case let .int8(v): return "\(v)"
        case let .uint16(v): return "\(v)"
        case let .int16(v): return "\(v)"
        case let .uint32(v): return "\(v)"
        case let .int32(v): return "\(v)"
        case let .uint64(v): return "\(v)"
        case let .int64(v): return "\(v)"
        case let .float32(v): return "\(v)"
        case let .float64(v): return "\(v)"
        case let .bool(v): return "\(v)"
        case let .string(s): return "\"\(s)\""
        case let .array(a):
            let head = a.prefix(8).map(\.description).joined(separator: ", ")
            return a.count > 8 ? "[\(head), … (\(a.count) elements)]" : "[\(head)]"
        }
    }
}
