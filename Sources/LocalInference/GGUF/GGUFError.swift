import Foundation

/// Everything that can be wrong with a GGUF file, each case naming the field and the cause.
///
/// The reader never trusts a count, a length or an offset from the file: each is checked against the
/// bytes that remain before it is used, so a truncated, corrupted or hostile file ends here, never in a
/// crash, a hang or an out-of-bounds read.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped (`reason` is the system's message).
    case cannotOpen(path: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: UInt32)
    /// A version this reader does not handle (it reads 2 and 3).
    case unsupportedVersion(UInt32)
    /// The file ends before `what` could be read at byte `offset`.
    case truncated(what: String, offset: Int)
    /// A count or length read from the file cannot fit in the bytes that remain.
    case countTooLarge(what: String, count: UInt64, remainingBytes: Int)
    /// A metadata value of an unknown type.
    case unknownValueType(key: String, rawType: UInt32)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(key: String, limit: Int)
    /// A metadata value that cannot be what its type says.
    case invalidValue(key: String, reason: String)
    /// The same metadata key twice.
    case duplicateKey(String)
    /// A metadata key that is empty or not valid UTF-8.
    case invalidKey(offset: Int)
    /// `general.alignment` is not a non-zero power of two stored as uint32.
    case badAlignment(String)
    /// A tensor of an unknown ggml type.
    case unknownTensorType(tensor: String, rawType: UInt32)
    /// A tensor whose dimensions are invalid (too many, zero rows that overflow, not a multiple of the block size).
    case badTensorShape(tensor: String, reason: String)
    /// A tensor whose data offset is not aligned or lies (partly) past the end of the file.
    case badTensorOffset(tensor: String, reason: String)
    /// The same tensor name twice.
    case duplicateTensor(String)
    /// A metadata value the writer cannot encode (e.g. an array mixing element types).
    case unencodable(key: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open GGUF file \(path): \(reason)"
        case let .badMagic(found):
            let bytes = withUnsafeBytes(of: found.littleEndian) { Array($0) }
            let text = bytes.map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
            return "not a GGUF file: the first bytes are \"\(text)\", expected \"GGUF\""
        case let .unsupportedVersion(version):
            if version > 0xFFFF && version.byteSwapped <= 3 {
                return "GGUF version \(version) looks byte-swapped: big-endian GGUF files are not supported; convert the model again as little-endian"
            }
            return "unsupported GGUF version \(version): this reader handles versions 2 and 3; convert the model again with a current llama.cpp"
        case let .truncated(what, offset):
            return "GGUF file is truncated: it ends at byte \(offset) while reading \(what)"
        case let .countTooLarge(what, count, remaining):
            return "GGUF file is corrupt: \(what) is \(count), more than the \(remaining) bytes that remain can hold"
        case let .unknownValueType(key, rawType):
            return "GGUF metadata \(key) has unknown value type \(rawType) (known: 0–12)"
        case let .nestingTooDeep(key, limit):
            return "GGUF metadata \(key) nests arrays deeper than \(limit) levels"
        case let .invalidValue(key, reason):
            return "GGUF metadata \(key) is invalid: \(reason)"
        case let .duplicateKey(key):
            return "GGUF metadata key \(key) appears twice"
        case let .invalidKey(offset):
            return "GGUF metadata key at byte \(offset) is empty or not valid UTF-8"
        case let .badAlignment(reason):
            return "GGUF general.alignment is invalid: \(reason)"
        case let .unknownTensorType(tensor, rawType):
            return "GGUF tensor \(tensor) has unknown ggml type \(rawType)"
        case let .badTensorShape(tensor, reason):
            return "GGUF tensor \(tensor) has an invalid shape: \(reason)"
        case let .badTensorOffset(tensor, reason):
            return "GGUF tensor \(tensor) has an invalid data offset: \(reason)"
        case let .duplicateTensor(name):
            return "GGUF tensor \(name) appears twice"
        case let .unencodable(key, reason):
            return "cannot write GGUF metadata \(key): \(reason)"
        }
    }
}

extension GGUFError: LocalizedError {
    public var errorDescription: String? { description }
}
