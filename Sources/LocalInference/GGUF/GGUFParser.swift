/// Parses a GGUF image, checking every count, length and offset against the bytes that remain.
///
/// Layout (little-endian): magic `GGUF`, version u32, tensor count u64, metadata count u64, the metadata
/// key/value pairs, the tensor infos, padding to `general.alignment`, then the data section.
struct GGUFParser {
    struct Parsed {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// ggml allows at most 4 dimensions.
    static let maxDimensions = 4
    /// Arrays nested deeper than this are rejected (no real file nests more than 2).
    static let maxNesting = 8
    static let magic: UInt32 = 0x4655_4747  // "GGUF" read as little-endian u32
    static let defaultAlignment = 32

    private let base: UnsafeRawPointer?
    private let count: Int
    private var cursor = 0

    init(base: UnsafeRawPointer?, count: Int) {
        self.base = base
        self.count = count
    }

    private var remaining: Int { count - cursor }

    mutating func parse() throws -> Parsed {
        let magic = try readInteger(UInt32.self, "the magic number")
        guard magic == Self.magic else { throw GGUFError.badMagic(found: magic) }
        let version = try readInteger(UInt32.self, "the version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        let tensorCount = try readInteger(UInt64.self, "the tensor count")
        let kvCount = try readInteger(UInt64.self, "the metadata count")
        // A key/value pair takes at least 8 (key length) + 1 (key) + 4 (type) + 1 bytes.
        let kvs = try checkedCount(kvCount, minimumSize: 14, what: "the metadata count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(kvs)
        for _ in 0..<kvs {
            let keyOffset = cursor
            let key = try readString("a metadata key")
            guard !key.isEmpty else { throw GGUFError.invalidKey(offset: keyOffset) }
            guard metadata[key] == nil else { throw GGUFError.duplicateKey(key) }
            let rawType = try readInteger(UInt32.self, "the type of \(key)")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(key: key, rawType: rawType)
            }
            metadata[key] = try readValue(type, key: key, depth: 0)
            keys.append(key)
        }

        let alignment = try Self.alignment(from: metadata["general.alignment"])

        // A tensor info takes at least 8 (name length) + 1 (name) + 4 (dims) + 4 (type) + 8 (offset) bytes.
        let tensorTotal = try checkedCount(tensorCount, minimumSize: 25, what: "the tensor count")
        var infos: [(name: String, dims: [Int], type: GGMLType, offset: UInt64)] = []
        infos.reserveCapacity(tensorTotal)
        var names = Set<String>()
        for _ in 0..<tensorTotal {
            let name = try readString("a tensor name")
            guard names.insert(name).inserted else { throw GGUFError.duplicateTensor(name) }
            let nDims = try readInteger(UInt32.self, "the dimension count of \(name)")
            guard nDims >= 1, nDims <= UInt32(Self.maxDimensions) else {
                throw GGUFError.badTensorShape(tensor: name, reason: "\(nDims) dimensions (allowed: 1–\(Self.maxDimensions))")
            }
            var dims: [Int] = []
            for d in 0..<Int(nDims) {
                let n = try readInteger(UInt64.self, "dimension \(d) of \(name)")
                guard n <= UInt64(Int32.max) else {
                    throw GGUFError.badTensorShape(tensor: name, reason: "dimension \(d) is \(n)")
                }
                dims.append(Int(n))
            }
            let rawType = try readInteger(UInt32.self, "the type of \(name)")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.unknownTensorType(tensor: name, rawType: rawType)
            }
            let offset = try readInteger(UInt64.self, "the data offset of \(name)")
            infos.append((name, dims, type, offset))
        }

        // The data section starts at the next multiple of the alignment.
        let (padded, overflow) = cursor.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw GGUFError.truncated(what: "the data section", offset: cursor) }
        let dataOffset = padded / alignment * alignment
        let dataSize = count - dataOffset
        guard dataSize >= 0 || infos.isEmpty else {
            throw GGUFError.truncated(what: "the padding before the data section", offset: count)
        }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            let byteCount = try Self.byteCount(name: info.name, dims: info.dims, type: info.type)
            guard info.offset % UInt64(alignment) == 0 else {
                throw GGUFError.badTensorOffset(tensor: info.name, reason: "\(info.offset) is not a multiple of the alignment \(alignment)")
            }
            guard info.offset <= UInt64(max(dataSize, 0)), UInt64(byteCount) <= UInt64(max(dataSize, 0)) - info.offset else {
                throw GGUFError.badTensorOffset(
                    tensor: info.name,
                    reason: "its \(byteCount) bytes at \(info.offset) end past the \(max(dataSize, 0))-byte data section (file truncated?)")
            }
            tensors.append(GGUFTensorInfo(name: info.name, dimensions: info.dims, type: info.type,
                                          offset: Int(info.offset), byteCount: byteCount))
        }
        return Parsed(version: version, metadata: metadata, metadataKeys: keys, tensors: tensors,
                      alignment: alignment, dataOffset: dataOffset)
    }

    // MARK: - Checks

    static func alignment(from value: GGUFValue?) throws -> Int {
        guard let value else { return defaultAlignment }
        guard case let .uint32(a) = value else {
            throw GGUFError.badAlignment("stored as \(value.valueType), expected uint32")
        }
        guard a > 0, a & (a - 1) == 0 else { throw GGUFError.badAlignment("\(a) is not a power of two") }
        guard a <= 1 << 20 else { throw GGUFError.badAlignment("\(a) is larger than 1 MiB") }
        return Int(a)
    }

    static func byteCount(name: String, dims: [Int], type: GGMLType) throws -> Int {
        var elements = 1
        for d in dims {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Int(Int32.max) * 1024 else {
                throw GGUFError.badTensorShape(tensor: name, reason: "\(dims) has too many elements")
            }
            elements = product
        }
        let traits = type.traits
        guard dims[0] % traits.blockSize == 0 else {
            throw GGUFError.badTensorShape(
                tensor: name, reason: "row length \(dims[0]) is not a multiple of \(type.name)'s block size \(traits.blockSize)")
        }
        return elements / traits.blockSize * traits.bytesPerBlock
    }

    /// Rejects a count whose elements could not fit in the remaining bytes (so no huge allocation or loop).
    private func checkedCount(_ n: UInt64, minimumSize: Int, what: String) throws -> Int {
        guard n <= UInt64(remaining / minimumSize) else {
            throw GGUFError.countTooLarge(what: what, count: n, remainingBytes: remaining)
        }
        return Int(n)
    }

    // MARK: - Primitive reads

    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size, let base else { throw GGUFError.truncated(what: what(), offset: count) }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: cursor, as: T.self))
        cursor += size
        return value
    }

    private mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readInteger(UInt64.self, "the length of \(what())")
        guard length <= UInt64(remaining) else {
            throw GGUFError.countTooLarge(what: "the length of \(what())", count: length, remainingBytes: remaining)
        }
        let n = Int(length)
        guard n > 0, let base else { return "" }
        let bytes = UnsafeRawBufferPointer(start: base + cursor, count: n)
        cursor += n
        // Invalid UTF-8 is repaired with U+FFFD rather than rejected: llama.cpp accepts such vocabularies.
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func readValue(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try readInteger(UInt8.self, key))
        case .int8: return .int8(try readInteger(Int8.self, key))
        case .uint16: return .uint16(try readInteger(UInt16.self, key))
        case .int16: return .int16(try readInteger(Int16.self, key))
        case .uint32: return .uint32(try readInteger(UInt32.self, key))
        case .int32: return .int32(try readInteger(Int32.self, key))
        case .uint64: return .uint64(try readInteger(UInt64.self, key))
        case .int64: return .int64(try readInteger(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try readInteger(UInt32.self, key)))
        case .float64: return .float64(Double(bitPattern: try readInteger(UInt64.self, key)))
        case .bool:
            let b = try readInteger(UInt8.self, key)
            guard b <= 1 else { throw GGUFError.invalidValue(key: key, reason: "bool stored as \(b), expected 0 or 1") }
            return .bool(b == 1)
        case .string: return .string(try readString(key))
        case .array:
            guard depth < Self.maxNesting else { throw GGUFError.nestingTooDeep(key: key, limit: Self.maxNesting) }
            let rawType = try readInteger(UInt32.self, "the element type of \(key)")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(key: key, rawType: rawType)
            }
            let n = try readInteger(UInt64.self, "the element count of \(key)")
            let elements = try checkedCount(n, minimumSize: elementType.minimumSize, what: "the element count of \(key)")
            var values: [GGUFValue] = []
            values.reserveCapacity(elements)
            for _ in 0..<elements {
                values.append(try readValue(elementType, key: key, depth: depth + 1))
            }
            return .array(values)
        }
    }
}
