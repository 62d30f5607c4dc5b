/// A weight matrix in its file's type: `rows` rows of `columns` elements, each row contiguous in the file's
/// memory, or, repacked at load (`repacked(on:)`), eight rows interleaved per block in memory of its own.
///
/// In ggml order a GGUF tensor (ne0 = columns, ne1 = rows) is exactly this, so `y = W x` is one row-dot per
/// output element and the weights are never dequantized as a whole.
struct WeightMatrix: @unchecked Sendable {
    /// The tensor's name, for errors.
    let name: String
    let type: GGMLType
    /// Output size (ne1).
    let rows: Int
    /// Input size (ne0), a multiple of the type's block size.
    let columns: Int
    /// Bytes per row (in the file's layout).
    let rowBytes: Int
    /// The quantized data: (rows, rowBytes) mapped from the file, or (rows / 8, groupBytes) interleaved.
    let data: UnsafeRawPointer
    let layout: WeightLayout
    /// The memory of an interleaved matrix, kept alive with it (nil: the file's mapping).
    let storage: WeightStorage?
    /// The instructions of an interleaved Q4_0 or Q4_K matrix's kernels (`InterleavedKernels`; set by the model
    /// at load, for the CPU it runs on).
    var kernels: InterleavedKernels = .avx2

    init(name: String, type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer) {
        precondition(type.isSupported && columns % type.blockSize == 0)
        self.name = name
        self.type = type
        self.rows = rows
        self.columns = columns
        self.rowBytes = type.rowBytes(columns)
        self.data = data
        layout = .rows
        storage = nil
    }

    /// `matrix` interleaved into `storage` (see `repacked(on:)`).
    private init(interleaving matrix: WeightMatrix, into storage: WeightStorage) {
        name = matrix.name
        type = matrix.type
        rows = matrix.rows
        columns = matrix.columns
        rowBytes = matrix.rowBytes
        data = UnsafeRawPointer(storage.base)
        layout = .interleaved
        self.storage = storage
    }

    /// The start of row `r` (the file's layout only).
    @inline(__always)
    func row(_ r: Int) -> UnsafeRawPointer {
        precondition(layout == .rows)
        return data + r * rowBytes
    }

    /// Bytes of eight interleaved rows.
    var groupBytes: Int { InterleavedLayout.groupBytes(type, columns: columns) }

    /// The eight interleaved rows `8g ..< 8g + 8`.
    @inline(__always)
    func group(_ g: Int) -> UnsafeRawPointer { data + g * groupBytes }

    /// Dequantizes row `r` into `destination` (columns floats): token-embedding lookup.
    func dequantizeRow(_ r: Int, into destination: UnsafeMutablePointer<Float>) {
        guard layout == .interleaved else { return type.dequantizeRow(row(r), into: destination, count: columns) }
        withUnsafeTemporaryAllocation(byteCount: rowBytes, alignment: 16) { buffer in
            fileRow(r, into: buffer.baseAddress!)
            type.dequantizeRow(UnsafeRawPointer(buffer.baseAddress!), into: destination, count: columns)
        }
    }

    /// Writes row `r`'s bytes in the file's layout (`rowBytes`) at `destination`.
    func fileRow(_ r: Int, into destination: UnsafeMutableRawPointer) {
        switch layout {
        case .rows: destination.copyMemory(from: row(r), byteCount: rowBytes)
        case .interleaved:
            InterleavedLayout.extract(type, group: group(r / 8), row: r % 8, blocks: columns / type.blockSize, into: destination)
        }
    }

    // MARK: - Repacking

    /// This matrix with its rows interleaved eight at a time for the integer kernels, in memory the
    /// process owns (`WeightStorage`, huge pages where the kernel allows), the groups written in parallel;
    /// or itself, unchanged, when its type has no interleaved layout, its rows are not a multiple of 8, or
    /// the system refuses the memory.
    /// The caller may then release the file's pages: the result never reads them. It may also release them
    /// as the repacking goes: `written` is told each slab of rows (about 8 MB) once it is repacked, so that a
    /// large matrix (Gemma 3's 178 MB output) never lies in memory twice — the peak is the copy and one slab.
    func repacked(on parallel: Parallel, written: (Range<Int>) -> Void = { _ in }) -> WeightMatrix {
        guard layout == .rows, InterleavedLayout.supports(type), rows % 8 == 0, rows > 0 else { return self }
        let groupBytes = self.groupBytes, blocks = columns / type.blockSize, groups = rows / 8
        guard let storage = WeightStorage(byteCount: groups * groupBytes) else { return self }
        let base = storage.base, slab = max(8, (8 << 20) / groupBytes)
        var first = 0
        while first < groups {
            let end = min(groups, first + slab)
            parallel.forRanges(count: end - first, minimumChunk: 8) { range in
                for g in (first + range.lowerBound)..<(first + range.upperBound) {
                    InterleavedLayout.interleave(type, rows: row(8 * g), rowBytes: rowBytes, blocks: blocks, into: base + g * groupBytes)
                }
            }
            written((8 * first)..<(8 * end))
            first = end
        }
        return WeightMatrix(interleaving: self, into: storage)
    }

    /// `y[r] = row(r) · x` for every row: (rows) = (rows, columns) × (columns), rows split over threads.
    func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, on parallel: Parallel) {
        if Int8Dot.handles(type) { return multiply(batch: 1, x, into: y, on: parallel) }
        if BatchDot.hasTile(type) { return multiplyTiled(batch: 1, x, into: y, on: parallel) }
        let columns = self.columns
        guard let kernel = RowDot.fastKernel(for: type) else {
            let kernel = RowDot.kernel(for: type)
            parallel.forRanges(count: rows, minimumChunk: 16) { range in
                for r in range { y[r] = kernel(row(r), x, columns) }
            }
            return
        }
        // Per-32 sums of x for the kernels' minimum terms: (columns / 32) floats on the stack.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: columns / 32 + 1) { buffer in
            let sums = buffer.baseAddress!
            RowDot.blockSums(x, count: columns, into: sums)
            parallel.forRanges(count: rows, minimumChunk: 16) { range in
                for r in range { y[r] = kernel(row(r), x, sums, columns) }
            }
        }
    }

    /// `y[b] = W x[b]` for `batch` activation vectors at once: (batch, rows) = (batch, columns) × Wᵀ.
    ///
    /// The entry point for batched decoding (and prompt processing): each weight block is read and
    /// dequantized once per eight vectors (`BatchDot`). `x` is (batch, columns), `y` is (batch, rows).
    /// Each vector's result is bit-identical to `multiply(_:into:)` on it alone.
    func multiply(batch: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, on parallel: Parallel) {
        if Int8Dot.handles(type) {
            // (storageBytes) the batch quantized to 8 bits per block, on the stack.
            let bytes = Q8Activations.storageBytes(batch: batch, columns: self.columns)
            return withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 64) { storage in
                let activations = Q8Activations(storage: storage.baseAddress!, batch: batch, columns: self.columns,
                                                blocksPerScale: Int8Dot.blocksPerScale(type))
                activations.quantize(x)
                multiply(activations, into: y, on: parallel)
            }
        }
        if batch == 1 { return multiply(x, into: y, on: parallel) }
        if BatchDot.hasTile(type) { return multiplyTiled(batch: batch, x, into: y, on: parallel) }
        let columns = self.columns, blocks = columns / 32
        // Per-32 sums of each vector for the fast kernels: (batch, columns / 32) on the stack.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: batch * blocks + 1) { buffer in
            let sums = buffer.baseAddress!
            if RowDot.fastKernel(for: type) != nil {
                for s in 0..<batch { RowDot.blockSums(x + s * columns, count: columns, into: sums + s * blocks) }
            }
            parallel.forRanges(count: rows, minimumChunk: 4) { range in
                BatchDot.rowsGeneric(self, range, batch: batch, x, sums, y)
            }
        }
    }

    /// `y[b] = W x[b]` for activations already quantized (`Int8Dot.handles(type)` must hold): the decode
    /// path, where several projections share one quantized input. `y` is (batch, rows).
    func multiply(_ a: Q8Activations, into y: UnsafeMutablePointer<Float>, on parallel: Parallel) {
        precondition(Int8Dot.handles(type) && a.columns == columns && a.blocksPerScale == Int8Dot.blocksPerScale(type))
        parallel.forRanges(count: rows, minimumChunk: a.batch == 1 ? 16 : 4, alignment: 8) { range in
            multiplyRows(range, a, into: y)
        }
    }

    /// Rows `range` of `multiply(_:into:)` on the calling thread: y[s · rows + r] for r in `range`.
    @inline(__always)
    func multiplyRows(_ range: Range<Int>, _ a: Q8Activations, into y: UnsafeMutablePointer<Float>) {
        #if JUDGE_X86_V3
        if layout == .interleaved { return Int8Dot.interleavedRows(self, range, a, y, kernels: kernels) }
        switch type {
        case .q8_0: Q8_0Int8.rows(self, range, a, y)
        case .q4_0: Q4_0Int8.rows(self, range, a, y)
        case .q4_1: Q4_1Int8.rows(self, range, a, y)
        case .q5_0: Q5_0Int8.rows(self, range, a, y)
        case .q6_K: Q6_KInt8.rows(self, range, a, y)
        default: Q4_KInt8.rows(self, range, a, y)
        }
        #endif
    }

    /// `y_i = W_i x` for two or three matrices of one input (q, k and v) in one parallel region: one
    /// synchronization of the workers instead of three, which matters for the small products of decoding.
    static func multiply(_ w0: WeightMatrix, into y0: UnsafeMutablePointer<Float>,
                         _ w1: WeightMatrix, into y1: UnsafeMutablePointer<Float>,
                         _ w2: WeightMatrix, into y2: UnsafeMutablePointer<Float>, _ a: Q8Activations, on parallel: Parallel) {
        // Interleaved rows go eight at a time: the matrices' boundaries must fall on whole eights.
        guard w0.rows % 8 == 0 && w1.rows % 8 == 0 else {
            w0.multiply(a, into: y0, on: parallel); w1.multiply(a, into: y1, on: parallel)
            return w2.multiply(a, into: y2, on: parallel)
        }
        let end0 = w0.rows, end1 = end0 + w1.rows, total = end1 + w2.rows
        parallel.forRanges(count: total, minimumChunk: a.batch == 1 ? 16 : 4, alignment: 8) { range in
            let lower = range.lowerBound, upper = range.upperBound
            if lower < end0 { w0.multiplyRows(lower..<min(end0, upper), a, into: y0) }
            if lower < end1 && upper > end0 { w1.multiplyRows((max(end0, lower) - end0)..<(min(end1, upper) - end0), a, into: y1) }
            if upper > end1 { w2.multiplyRows((max(end1, lower) - end1)..<(upper - end1), a, into: y2) }
        }
    }

    /// The tile kernels (Q8_0, Q4_0, Q4_1) for any batch, rows split over threads.
    private func multiplyTiled(batch: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, on parallel: Parallel) {
        let type = self.type
        parallel.forRanges(count: rows, minimumChunk: batch == 1 ? 16 : 4) { range in
            switch type {
            case .q8_0: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 34, decode: Q8_0Decoder.self)
            case .q4_0: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 18, decode: Q4_0Decoder.self)
            default: BatchDot.rows(self, range, batch: batch, x, y, blockBytes: 20, decode: Q4_1Decoder.self)
            }
        }
    }
}
