/// A weight matrix kept in its file's type and memory: `rows` rows of `columns` elements, each row contiguous.
///
/// In ggml order a GGUF tensor (ne0 = columns, ne1 = rows) is exactly this, so `y = W x` is one row-dot per
/// output element and the weights are never copied or dequantized as a whole.
struct WeightMatrix: @unchecked Sendable {
    /// The tensor's name, for errors.
    let name: String
    let type: GGMLType
    /// Output size (ne1).
    let rows: Int
    /// Input size (ne0), a multiple of the type's block size.
    let columns: Int
    /// Bytes per row.
    let rowBytes: Int
    /// (rows, rowBytes) quantized data, mapped from the file.
    let data: UnsafeRawPointer

    init(name: String, type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer) {
        precondition(type.isSupported && columns % type.blockSize == 0)
        self.name = name
        self.type = type
        self.rows = rows
        self.columns = columns
        self.rowBytes = type.rowBytes(columns)
        self.data = data
    }

    /// The start of row `r`.
    @inline(__always)
    func row(_ r: Int) -> UnsafeRawPointer { data + r * rowBytes }

    /// Dequantizes row `r` into `destination` (columns floats): token-embedding lookup.
    func dequantizeRow(_ r: Int, into destination: UnsafeMutablePointer<Float>) {
        type.dequantizeRow(row(r), into: destination, count: columns)
    }

    /// `y[r] = row(r) · x` for every row: (rows) = (rows, columns) × (columns), rows split over threads.
    func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let columns = self.columns
        guard let kernel = RowDot.fastKernel(for: type) else {
            let kernel = RowDot.kernel(for: type)
            Parallel.forRanges(count: rows, minimumChunk: 16) { range in
                for r in range { y[r] = kernel(row(r), x, columns) }
            }
            return
        }
        // Per-32 sums of x for the kernels' minimum terms: (columns / 32) floats on the stack.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: columns / 32 + 1) { buffer in
            let sums = buffer.baseAddress!
            RowDot.blockSums(x, count: columns, into: sums)
            Parallel.forRanges(count: rows, minimumChunk: 16) { range in
                for r in range { y[r] = kernel(row(r), x, sums, columns) }
            }
        }
    }

    /// `y[b] = W x[b]` for `batch` activation vectors at once: (batch, rows) = (batch, columns) × Wᵀ.
    ///
    /// The entry point for batched decoding (and prompt processing): each weight block is read and
    /// dequantized once per eight vectors (`BatchDot`). `x` is (batch, columns), `y` is (batch, rows).
    func multiply(batch: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        if batch == 1 { return multiply(x, into: y) }
        let columns = self.columns
        switch type {
        case .q8_0, .q4_0, .q4_1:
            Parallel.forRanges(count: rows, minimumChunk: 4) { range in
                switch type {
                case .q8_0: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 34, decode: BatchDot.decodeQ8_0)
                case .q4_0: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 18, decode: BatchDot.decodeQ4_0)
                default: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 20, decode: BatchDot.decodeQ4_1)
                }
            }
        default:
            Parallel.forRanges(count: rows, minimumChunk: 4) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: columns) { buffer in   // (columns)
                    BatchDot.rowsGeneric(self, range, batch: batch, x, y, buffer: buffer.baseAddress!)
                }
            }
        }
    }
}
