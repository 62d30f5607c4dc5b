// fp32 small-batch kernels for `WeightMatrix.multiply(batch:)`: each weight block is dequantized once into
// registers, pre-multiplied by its scale, and then multiplied with up to eight activation vectors whose
// accumulators stay in registers. They serve builds without x86-64-v3 (`JUDGE_PORTABLE=1`), where the integer
// kernels (`Int8Dot`) are not compiled; there Q8_0, Q4_0 and Q4_1 use these tiles, for single vectors too, so
// that a sequence's logits are bit-identical alone or in any batch. Other types run the single-vector kernel
// per sequence.

/// Dequantizes one 32-weight block at `block` into four vectors of eight weights (weights 0–7, 8–15,
/// 16–23, 24–31), scale and minimum applied.
/// (A protocol, not a closure: the tiles are specialized per type, so the decoder is inlined.)
protocol BlockDecoder {
    static func decode(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
}

enum Q8_0Decoder: BlockDecoder {
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        BatchDot.decodeQ8_0(block)
    }
}

enum Q4_0Decoder: BlockDecoder {
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        BatchDot.decodeQ4_0(block)
    }
}

enum Q4_1Decoder: BlockDecoder {
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        BatchDot.decodeQ4_1(block)
    }
}

enum BatchDot {
    /// Widest tile: eight accumulators + four weight vectors fit in the 16 AVX registers.
    static let tileWidth = 8
    /// Blocks per column panel: a batch of 16 keeps its 2,048-column slice of x (128 KB) in L2.
    static let panelWidth = 64

    /// Whether `type` has a tile kernel (and so a decoder below).
    static func hasTile(_ type: GGMLType) -> Bool { type == .q8_0 || type == .q4_0 || type == .q4_1 }

    // MARK: - Block decoders

    @inline(__always)
    static func decodeQ8_0(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let d = SIMD8<Float>(repeating: block.half(0))
        return (block.int8x8(2) * d, block.int8x8(10) * d, block.int8x8(18) * d, block.int8x8(26) * d)
    }

    /// Q4_0: `d · q − 8d`.
    @inline(__always)
    static func decodeQ4_0(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let d = block.half(0)
        return decodeNibbles(block + 2, SIMD8<Float>(repeating: d), SIMD8<Float>(repeating: -8 * d))
    }

    /// Q4_1: `d · q + m`.
    @inline(__always)
    static func decodeQ4_1(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        decodeNibbles(block + 4, SIMD8<Float>(repeating: block.half(0)), SIMD8<Float>(repeating: block.half(2)))
    }

    /// Nibbles in weight order times `d` plus `m`.
    @inline(__always)
    static func decodeNibbles(_ qs: UnsafeRawPointer, _ d: SIMD8<Float>, _ m: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let q0 = qs.uint8x8(0), q1 = qs.uint8x8(8)
        return (multiplyAdd(m, (q0 & 15).floats, d), multiplyAdd(m, (q1 & 15).floats, d),
                multiplyAdd(m, (q0 &>> 4).floats, d), multiplyAdd(m, (q1 &>> 4).floats, d))
    }

    // MARK: - Tile: one row segment · up to eight vectors

    /// One block's dot with one vector, as a chain of its own: the accumulator then waits on one add per
    /// block, not four dependent multiply-adds (which made a lone vector latency-bound). Every tile uses
    /// exactly this arithmetic per vector.
    @inline(__always)
    static func block32(_ w0: SIMD8<Float>, _ w1: SIMD8<Float>, _ w2: SIMD8<Float>, _ w3: SIMD8<Float>,
                        _ xs: UnsafePointer<Float>) -> SIMD8<Float> {
        var t = w0 * xs.floats8(0)
        t = multiplyAdd(t, w1, xs.floats8(8))
        t = multiplyAdd(t, w2, xs.floats8(16))
        return multiplyAdd(t, w3, xs.floats8(24))
    }

    /// `out[s · outStride] += Σ_b decode(block b) · x_s[32b ..< 32b + 32]` over `blocks` blocks, for the
    /// `count` ≤ 8 vectors `x + s·stride`; vectors past `count` repeat the last one (results dropped).
    @inline(__always)
    static func tile8<D: BlockDecoder>(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int,
                      _ x: UnsafePointer<Float>, stride: Int, count: Int,
                      _ out: UnsafeMutablePointer<Float>, outStride: Int, decode: D.Type) {
        let last = count - 1
        var x0 = x, x1 = x + min(1, last) * stride, x2 = x + min(2, last) * stride, x3 = x + min(3, last) * stride
        var x4 = x + min(4, last) * stride, x5 = x + min(5, last) * stride
        var x6 = x + min(6, last) * stride, x7 = x + min(7, last) * stride
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
        var block = row
        for _ in 0..<blocks {
            let (w0, w1, w2, w3) = D.decode(block)
            @inline(__always) func step(_ a: inout SIMD8<Float>, _ xs: UnsafePointer<Float>) {
                a += block32(w0, w1, w2, w3, xs)
            }
            step(&a0, x0); step(&a1, x1); step(&a2, x2); step(&a3, x3)
            step(&a4, x4); step(&a5, x5); step(&a6, x6); step(&a7, x7)
            block += blockBytes
            x0 += 32; x1 += 32; x2 += 32; x3 += 32; x4 += 32; x5 += 32; x6 += 32; x7 += 32
        }
        let sums = [a0.sum(), a1.sum(), a2.sum(), a3.sum(), a4.sum(), a5.sum(), a6.sum(), a7.sum()] as InlineArray<8, Float>
        for s in 0..<count { out[s * outStride] += sums[s] }
    }

    /// The four-wide tile, for batches of 2–4 (and the last 1–4 vectors of a batch). A deliberate copy of
    /// `tile8` at another width: each keeps its accumulators in named registers, which a loop over an array
    /// of accumulators would spill.
    @inline(__always)
    static func tile4<D: BlockDecoder>(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int,
                      _ x: UnsafePointer<Float>, stride: Int, count: Int,
                      _ out: UnsafeMutablePointer<Float>, outStride: Int, decode: D.Type) {
        let last = count - 1
        var x0 = x, x1 = x + min(1, last) * stride, x2 = x + min(2, last) * stride, x3 = x + min(3, last) * stride
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var block = row
        for _ in 0..<blocks {
            let (w0, w1, w2, w3) = D.decode(block)
            @inline(__always) func step(_ a: inout SIMD8<Float>, _ xs: UnsafePointer<Float>) {
                a += block32(w0, w1, w2, w3, xs)
            }
            step(&a0, x0); step(&a1, x1); step(&a2, x2); step(&a3, x3)
            block += blockBytes
            x0 += 32; x1 += 32; x2 += 32; x3 += 32
        }
        let sums = [a0.sum(), a1.sum(), a2.sum(), a3.sum()] as InlineArray<4, Float>
        for s in 0..<count { out[s * outStride] += sums[s] }
    }

    /// One vector: the same arithmetic per accumulator as the wider tiles, so that a sequence's result
    /// is bit-identical whether it is decoded alone or in a batch (BatchGenerator relies on it).
    @inline(__always)
    static func tile1<D: BlockDecoder>(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int, _ x: UnsafePointer<Float>,
                      _ out: UnsafeMutablePointer<Float>, decode: D.Type) {
        var a0 = SIMD8<Float>()
        var block = row, x0 = x
        for _ in 0..<blocks {
            let (w0, w1, w2, w3) = D.decode(block)
            a0 += block32(w0, w1, w2, w3, x0)
            block += blockBytes; x0 += 32
        }
        out.pointee += a0.sum()
    }

    // MARK: - Rows × batch

    /// `y[s · rows + r] = row(r) · x_s` for r in `range` and all `batch` vectors, for a 32-block type with
    /// a decoder. Columns are taken in panels small enough that the batch's slice of x (batch × panel
    /// floats) stays in the L1 cache while every row of the range passes over it.
    @inline(__always)
    static func rows<D: BlockDecoder>(_ matrix: WeightMatrix, _ range: Range<Int>, batch: Int,
                     _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                     blockBytes: Int, decode: D.Type) {
        let columns = matrix.columns, rows = matrix.rows, blocks = columns / 32
        for s in 0..<batch { (y + s * rows + range.lowerBound).update(repeating: 0, count: range.count) }
        // Panels of 64 blocks (2,048 columns): the same split for every batch size keeps each sequence's
        // sum order, and so its result, independent of the batch it is in.
        let panelBlocks = panelWidth
        // Rows go in groups of 16, whose weights (a few KB) stay cached from one panel to the next.
        var group = range.lowerBound
        while group < range.upperBound {
            let groupEnd = min(range.upperBound, group + 16)
            var first = 0
            while first < blocks {
                let count = min(panelBlocks, blocks - first)
                for r in group..<groupEnd {
                    let segment = matrix.row(r) + first * blockBytes
                    var s = 0
                    while s < batch {
                        let width = min(batch - s, tileWidth)
                        let xs = x + s * columns + first * 32, out = y + s * rows + r
                        if width == 1 {
                            tile1(segment, blocks: count, blockBytes: blockBytes, xs, out, decode: decode)
                        } else if width > 4 {
                            tile8(segment, blocks: count, blockBytes: blockBytes, xs, stride: columns, count: width,
                                  out, outStride: rows, decode: decode)
                        } else {
                            tile4(segment, blocks: count, blockBytes: blockBytes, xs, stride: columns, count: width,
                                  out, outStride: rows, decode: decode)
                        }
                        s += width
                    }
                }
                first += count
            }
            group = groupEnd
        }
    }

    /// Types without a tile kernel: the single-vector kernel per row and sequence (the same results as
    /// `multiply(_:into:)`); `sums` is (batch, columns / 32) for the fast kernels.
    @inline(__always)
    static func rowsGeneric(_ matrix: WeightMatrix, _ range: Range<Int>, batch: Int,
                            _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let columns = matrix.columns, rows = matrix.rows, blocks = columns / 32
        if let kernel = RowDot.fastKernel(for: matrix.type) {
            for r in range {
                for s in 0..<batch { y[s * rows + r] = kernel(matrix.row(r), x + s * columns, sums + s * blocks, columns) }
            }
        } else {
            let kernel = RowDot.kernel(for: matrix.type)
            for r in range {
                for s in 0..<batch { y[s * rows + r] = kernel(matrix.row(r), x + s * columns, columns) }
            }
        }
    }
}
