import Foundation

/// The ggml tensor types, with the numbers GGUF files store.
///
/// The reader knows the block size and byte size of every type so that it can bounds-check any file;
/// the engine computes with the types in `GGMLType.supported`.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39

    /// The types the engine dequantizes and computes with.
    public static let supported: [GGMLType] = [
        .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
    ]

    /// Whether the engine can dequantize and compute with this type.
    public var isSupported: Bool { GGMLType.supported.contains(self) }

    /// The traits of this type: elements per block and bytes per block (ggml's `type_traits`).
    public var traits: GGMLTypeTraits {
        switch self {
        case .f32: return .init(blockSize: 1, bytesPerBlock: 4)
        case .f16, .bf16: return .init(blockSize: 1, bytesPerBlock: 2)
        case .q4_0: return .init(blockSize: 32, bytesPerBlock: MemoryLayout<BlockQ4_0>.size)
        case .q4_1: return .init(blockSize: 32, bytesPerBlock: MemoryLayout<BlockQ4_1>.size)
        case .q5_0: return .init(blockSize: 32, bytesPerBlock: MemoryLayout<BlockQ5_0>.size)
        case .q5_1: return .init(blockSize: 32, bytesPerBlock: MemoryLayout<BlockQ5_1>.size)
        case .q8_0: return .init(blockSize: 32, bytesPerBlock: MemoryLayout<BlockQ8_0>.size)
        case .q8_1: return .init(blockSize: 32, bytesPerBlock: 36)
        case .q2_K: return .init(blockSize: 256, bytesPerBlock: MemoryLayout<BlockQ2_K>.size)
        case .q3_K: return .init(blockSize: 256, bytesPerBlock: MemoryLayout<BlockQ3_K>.size)
        case .q4_K: return .init(blockSize: 256, bytesPerBlock: MemoryLayout<BlockQ4_K>.size)
        case .q5_K: return .init(blockSize: 256, bytesPerBlock: MemoryLayout<BlockQ5_K>.size)
        case .q6_K: return .init(blockSize: 256, bytesPerBlock: MemoryLayout<BlockQ6_K>.size)
        case .q8_K: return .init(blockSize: 256, bytesPerBlock: 292)
        case .iq2_xxs: return .init(blockSize: 256, bytesPerBlock: 66)
        case .iq2_xs: return .init(blockSize: 256, bytesPerBlock: 74)
        case .iq3_xxs: return .init(blockSize: 256, bytesPerBlock: 98)
        case .iq1_s: return .init(blockSize: 256, bytesPerBlock: 50)
        case .iq4_nl: return .init(blockSize: 32, bytesPerBlock: 18)
        case .iq3_s: return .init(blockSize: 256, bytesPerBlock: 110)
        case .iq2_s: return .init(blockSize: 256, bytesPerBlock: 82)
        case .iq4_xs: return .init(blockSize: 256, bytesPerBlock: 136)
        case .i8: return .init(blockSize: 1, bytesPerBlock: 1)
        case .i16: return .init(blockSize: 1, bytesPerBlock: 2)
        case .i32: return .init(blockSize: 1, bytesPerBlock: 4)
        case .i64, .f64: return .init(blockSize: 1, bytesPerBlock: 8)
        case .iq1_m: return .init(blockSize: 256, bytesPerBlock: 56)
        case .tq1_0: return .init(blockSize: 256, bytesPerBlock: 54)
        case .tq2_0: return .init(blockSize: 256, bytesPerBlock: 66)
        case .mxfp4: return .init(blockSize: 32, bytesPerBlock: 17)
        }
    }

    /// Elements per block.
    public var blockSize: Int { traits.blockSize }
    /// Bytes per block.
    public var bytesPerBlock: Int { traits.bytesPerBlock }

    /// Bytes a row of `count` elements takes; `count` must be a multiple of `blockSize`.
    public func rowBytes(_ count: Int) -> Int { count / blockSize * bytesPerBlock }

    /// ggml's name for the type (`Q4_K`, `F16`, …).
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q8_1: return "Q8_1"
        case .q2_K: return "Q2_K"
        case .q3_K: return "Q3_K"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .q8_K: return "Q8_K"
        case .iq2_xxs: return "IQ2_XXS"
        case .iq2_xs: return "IQ2_XS"
        case .iq3_xxs: return "IQ3_XXS"
        case .iq1_s: return "IQ1_S"
        case .iq4_nl: return "IQ4_NL"
        case .iq3_s: return "IQ3_S"
        case .iq2_s: return "IQ2_S"
        case .iq4_xs: return "IQ4_XS"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .f64: return "F64"
        case .iq1_m: return "IQ1_M"
        case .bf16: return "BF16"
        case .tq1_0: return "TQ1_0"
        case .tq2_0: return "TQ2_0"
        case .mxfp4: return "MXFP4"
        }
    }

    public var description: String { name }

    /// The supported types' names, for error messages.
    public static var supportedNames: String { supported.map(\.name).joined(separator: ", ") }
}

/// Block geometry of a ggml type.
public struct GGMLTypeTraits: Equatable, Sendable {
    /// Elements per block (1 for plain float types, 32 for legacy quants, 256 for k-quants).
    public let blockSize: Int
    /// Bytes per block.
    public let bytesPerBlock: Int
}
