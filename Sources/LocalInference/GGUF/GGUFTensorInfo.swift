/// One tensor's entry in a GGUF file: its name, shape, type and where its data lies.
public struct GGUFTensorInfo: Equatable, Sendable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public let name: String
    /// The shape in ggml order: `dimensions[0]` (ne0) is the contiguous row length.
    public let dimensions: [Int]
    /// The element type.
    public let type: GGMLType
    /// Offset of the data from the start of the file's data section (a multiple of the alignment).
    public let offset: Int
    /// Bytes of data, validated at open to lie inside the file.
    public let byteCount: Int

    /// Total number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Elements per row (ne0).
    public var rowLength: Int { dimensions.first ?? 1 }
    /// Number of rows (the product of every dimension but the first).
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Bytes per row.
    public var rowBytes: Int { type.rowBytes(rowLength) }
}
