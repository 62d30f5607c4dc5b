import Foundation

/// Writes GGUF files (version 3, little-endian): metadata, then tensor infos, then aligned tensor data.
///
/// ```swift
/// var writer = GGUFWriter()
/// writer.setMetadata("general.architecture", .string("llama"))
/// try writer.addTensor(name: "token_embd.weight", dimensions: [64, 100], type: .f32, data: bytes)
/// try writer.write(to: url)
/// ```
public struct GGUFWriter {
    /// Data alignment; written as `general.alignment` when it is not the default 32.
    public var alignment: Int
    /// The version written (2 or 3; they share a layout).
    public var version: UInt32

    private var metadata: [(key: String, value: GGUFValue)] = []
    private var tensors: [(name: String, dimensions: [Int], type: GGMLType, data: [UInt8])] = []

    public init(alignment: Int = 32, version: UInt32 = 3) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        self.alignment = alignment
        self.version = version
    }

    /// Sets `key` to `value`, replacing an earlier value but keeping its position.
    public mutating func setMetadata(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) {
            metadata[i].value = value
        } else {
            metadata.append((key, value))
        }
    }

    /// Adds a tensor; `data` must hold exactly the bytes its shape and type need.
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) throws {
        guard !tensors.contains(where: { $0.name == name }) else { throw GGUFError.duplicateTensor(name) }
        guard (1...GGUFParser.maxDimensions).contains(dimensions.count), dimensions.allSatisfy({ $0 >= 0 }) else {
            throw GGUFError.badTensorShape(tensor: name, reason: "\(dimensions)")
        }
        let expected = try GGUFParser.byteCount(name: name, dims: dimensions, type: type)
        guard data.count == expected else {
            throw GGUFError.badTensorShape(tensor: name, reason: "\(data.count) bytes given, \(dimensions) of \(type.name) needs \(expected)")
        }
        tensors.append((name, dimensions, type, data))
    }

    /// Adds an F32 tensor from floats.
    public mutating func addTensor(name: String, dimensions: [Int], floats: [Float]) throws {
        let bytes = floats.withUnsafeBytes { Array($0) }
        try addTensor(name: name, dimensions: dimensions, type: .f32, data: bytes)
    }

    /// The complete file image.
    public func serialized() throws -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: littleEndianBytes(GGUFParser.magic))
        out.append(contentsOf: littleEndianBytes(version))
        out.append(contentsOf: littleEndianBytes(UInt64(tensors.count)))
        var entries = metadata
        if alignment != GGUFParser.defaultAlignment, !entries.contains(where: { $0.key == "general.alignment" }) {
            entries.append(("general.alignment", .uint32(UInt32(alignment))))
        }
        out.append(contentsOf: littleEndianBytes(UInt64(entries.count)))
        for (key, value) in entries {
            if key == "general.alignment", value != .uint32(UInt32(alignment)) {
                throw GGUFError.unencodable(key: key, reason: "set the writer's alignment instead")
            }
            appendString(key, to: &out)
            out.append(contentsOf: littleEndianBytes(value.valueType.rawValue))
            try appendValue(value, key: key, to: &out)
        }
        var offset = 0
        for t in tensors {
            appendString(t.name, to: &out)
            out.append(contentsOf: littleEndianBytes(UInt32(t.dimensions.count)))
            for d in t.dimensions { out.append(contentsOf: littleEndianBytes(UInt64(d))) }
            out.append(contentsOf: littleEndianBytes(t.type.rawValue))
            out.append(contentsOf: littleEndianBytes(UInt64(offset)))
            offset = padded(offset + t.data.count)
        }
        out.append(contentsOf: [UInt8](repeating: 0, count: padded(out.count) - out.count))
        for t in tensors {
            out.append(contentsOf: t.data)
            out.append(contentsOf: [UInt8](repeating: 0, count: padded(out.count) - out.count))
        }
        return out
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws {
        try Data(serialized()).write(to: url, options: .atomic)
    }

    // MARK: - Encoding

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    private func appendString(_ s: String, to out: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        out.append(contentsOf: littleEndianBytes(UInt64(utf8.count)))
        out.append(contentsOf: utf8)
    }

    private func appendValue(_ value: GGUFValue, key: String, to out: inout [UInt8]) throws {
        switch value {
        case let .uint8(v): out.append(v)
        case let .int8(v): out.append(UInt8(bitPattern: v))
        case let .uint16(v): out.append(contentsOf: littleEndianBytes(v))
        case let .int16(v): out.append(contentsOf: littleEndianBytes(v))
        case let .uint32(v): out.append(contentsOf: littleEndianBytes(v))
        case let .int32(v): out.append(contentsOf: littleEndianBytes(v))
        case let .uint64(v): out.append(contentsOf: littleEndianBytes(v))
        case let .int64(v): out.append(contentsOf: littleEndianBytes(v))
        case let .float32(v): out.append(contentsOf: littleEndianBytes(v.bitPattern))
        case let .float64(v): out.append(contentsOf: littleEndianBytes(v.bitPattern))
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(s): appendString(s, to: &out)
        case let .array(elements):
            // An empty array has no element type of its own; it is written as an array of uint8.
            let elementType = elements.first?.valueType ?? .uint8
            guard elements.allSatisfy({ $0.valueType == elementType }) else {
                throw GGUFError.unencodable(key: key, reason: "array elements must all be of one type")
            }
            out.append(contentsOf: littleEndianBytes(elementType.rawValue))
            out.append(contentsOf: littleEndianBytes(UInt64(elements.count)))
            for element in elements { try appendValue(element, key: key, to: &out) }
        }
    }
}
