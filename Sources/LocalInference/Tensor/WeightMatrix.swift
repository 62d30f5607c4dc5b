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
        let kernel = RowDot.kernel(for: type)
        let columns = self.columns
        Parallel.forRanges(count: rows, minimumChunk: 16) { range in
            for r in range { y[r] = kernel(row(r), x, columns) }
        }
    }

    /// `y[b] = W x[b]` for `batch` activation vectors at once: (batch, rows) = (batch, columns) × Wᵀ.
    ///
    /// The entry point for prompt processing and batched decoding: an implementation may read each weight
    /// row once for the whole batch (this one does, row by row). `x` is (batch, columns), `y` is (batch, rows).
    func multiply(batch: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        if batch == 1 { return multiply(x, into: y) }
        let kernel = RowDot.kernel(for: type)
        let columns = self.columns, rows = self.rows
        Parallel.forRanges(count: rows, minimumChunk: 16) { range in
            for r in range {
                let w = row(r)
                for b in 0..<batch { y[b * rows + r] = kernel(w, x + b * columns, columns) }
            }
        }
    }
}
