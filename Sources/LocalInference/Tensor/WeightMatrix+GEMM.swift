import COpenBLAS

// Large batches (prompt chunks, perplexity windows) through OpenBLAS: each worker dequantizes a tile of
// weight rows to fp32 and multiplies the whole batch by it with one single-threaded sgemm, so the tile is
// used hot from cache and every weight byte is decoded once per batch instead of once per row.

// MARK: - GEMMWorkspace

/// One fp32 tile buffer per worker, (tileRows, widest columns) each, allocated once per forward pass.
final class GEMMWorkspace {
    /// The most weight rows dequantized per tile.
    let tileRows: Int
    /// Widest input size of the model's matrices.
    let columns: Int
    /// (workers, tileRows, columns)
    private let buffers: UnsafeMutablePointer<Float>
    let workers: Int

    init(model: LlamaModel) {
        let c = model.configuration
        columns = max(c.embeddingLength, c.feedForwardLength, c.queryDimension)
        tileRows = 64
        workers = model.parallel.threadCount
        buffers = .allocate(capacity: workers * tileRows * columns)
        GEMMWorkspace.singleThreadedBLAS
    }

    deinit { buffers.deallocate() }

    /// (tileRows, columns) buffer of worker `w`.
    func tile(_ w: Int) -> UnsafeMutablePointer<Float> { buffers + w * tileRows * columns }

    /// Our workers split the tiles, so OpenBLAS must not start threads of its own inside each one.
    private static let singleThreadedBLAS: Void = openblas_set_num_threads(1)
}

// MARK: - Dequantized sgemm

extension WeightMatrix {
    /// `y = x Wᵀ` for `batch` rows through sgemm on fp32 tiles: x is (batch, columns), y is (batch, rows).
    ///
    /// Worker w takes tiles w, w + workers, …: every tile is the same work, so a static split balances.
    func multiplyDequantized(batch: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                             workspace: GEMMWorkspace, on parallel: Parallel) {
        precondition(columns <= workspace.columns)
        // About four tiles per worker (a balanced split of small matrices), 16…64 rows each (sgemm stays efficient).
        let tileRows = min(workspace.tileRows, max(16, (rows / (workspace.workers * 4) + 7) / 8 * 8))
        let tiles = (rows + tileRows - 1) / tileRows
        let workers = min(workspace.workers, tiles)
        let type = self.type, columns = self.columns, rows = self.rows
        parallel.forRanges(count: workers, minimumChunk: 1) { range in
            for w in range {
                let tile = workspace.tile(w)   // (tileRows, columns)
                var t = w
                while t < tiles {
                    let first = t * tileRows, count = min(tileRows, rows - first)
                    for r in 0..<count { dequantizeRow(first + r, into: tile + r * columns) }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                Int32(batch), Int32(count), Int32(columns),
                                1, x, Int32(columns), tile, Int32(columns),
                                0, y + first, Int32(rows))
                    t += workers
                }
            }
        }
    }
}
