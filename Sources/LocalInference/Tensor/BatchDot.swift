// Small-batch kernels for `WeightMatrix.multiply(batch:)` (batched decoding, 2…32 sequences): each weight
// block is dequantized once into registers, pre-multiplied by its scale, and then multiplied with up to
// eight activation vectors whose accumulators stay in registers. A weight row is read from memory once per
// eight sequences, and the decode work (nibble unpacking, int→float) is shared by all of them.
//
// Q8_0, Q4_0 and Q4_1 have tile kernels; the other types dequantize the whole row once to the stack and
// take fp32 dots with each vector. Batches of any size work; prompt processing may use sgemm instead.

/// Dequantizes one 32-weight block at `block` into four vectors of eight weights (weights 0–7, 8–15,
/// 16–23, 24–31), scale and minimum applied.
typealias BlockDecoder = (UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

enum BatchDot {
    /// Widest tile: eight accumulators + four weight vectors fit in the 16 AVX registers.
    static let tileWidth = 8

    // MARK: - Block decoders

    static func decodeQ8_0(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let d = SIMD8<Float>(repeating: block.half(0))
        return (block.int8x8(2) * d, block.int8x8(10) * d, block.int8x8(18) * d, block.int8x8(26) * d)
    }

    /// Q4_0: `d · q − 8d`.
    static func decodeQ4_0(_ block: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let d = block.half(0)
        return decodeNibbles(block + 2, SIMD8<Float>(repeating: d), SIMD8<Float>(repeating: -8 * d))
    }

    /// Q4_1: `d · q + m`.
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

    /// `out[s · outStride] += Σ_b decode(block b) · x_s[32b ..< 32b + 32]` over `blocks` blocks, for the
    /// `count` ≤ 8 vectors `x + s·stride`; vectors past `count` repeat the last one (results dropped).
    @inline(__always)
    static func tile8(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int,
                      _ x: UnsafePointer<Float>, stride: Int, count: Int,
                      _ out: UnsafeMutablePointer<Float>, outStride: Int, decode: BlockDecoder) {
        let last = count - 1
        var x0 = x, x1 = x + min(1, last) * stride, x2 = x + min(2, last) * stride, x3 = x + min(3, last) * stride
        var x4 = x + min(4, last) * stride, x5 = x + min(5, last) * stride
        var x6 = x + min(6, last) * stride, x7 = x + min(7, last) * stride
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
        var block = row
        for _ in 0..<blocks {
            let (w0, w1, w2, w3) = decode(block)
            @inline(__always) func step(_ a: inout SIMD8<Float>, _ xs: UnsafePointer<Float>) {
                a = multiplyAdd(a, w0, xs.floats8(0))
                a = multiplyAdd(a, w1, xs.floats8(8))
                a = multiplyAdd(a, w2, xs.floats8(16))
                a = multiplyAdd(a, w3, xs.floats8(24))
            }
            step(&a0, x0); step(&a1, x1); step(&a2, x2); step(&a3, x3)
            step(&a4, x4); step(&a5, x5); step(&a6, x6); step(&a7, x7)
            block += blockBytes
            x0 += 32; x1 += 32; x2 += 32; x3 += 32; x4 += 32; x5 += 32; x6 += 32; x7 += 32
        }
        let sums = [a0.sum(), a1.sum(), a2.sum(), a3.sum(), a4.sum(), a5.sum(), a6.sum(), a7.sum()] as InlineArray<8, Float>
        for s in 0..<count { out[s * outStride] += sums[s] }
    }

    /// The four-wide tile, for batches of 2–4 (and the last 1–4 vectors of a batch).
    @inline(__always)
    static func tile4(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int,
                      _ x: UnsafePointer<Float>, stride: Int, count: Int,
                      _ out: UnsafeMutablePointer<Float>, outStride: Int, decode: BlockDecoder) {
        let last = count - 1
        var x0 = x, x1 = x + min(1, last) * stride, x2 = x + min(2, last) * stride, x3 = x + min(3, last) * stride
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var block = row
        for _ in 0..<blocks {
            let (w0, w1, w2, w3) = decode(block)
            @inline(__always) func step(_ a: inout SIMD8<Float>, _ xs: UnsafePointer<Float>) {
                a = multiplyAdd(a, w0, xs.floats8(0))
                a = multiplyAdd(a, w1, xs.floats8(8))
                a = multiplyAdd(a, w2, xs.floats8(16))
                a = multiplyAdd(a, w3, xs.floats8(24))
            }
            step(&a0, x0); step(&a1, x1); step(&a2, x2); step(&a3, x3)
            block += blockBytes
            x0 += 32; x1 += 32; x2 += 32; x3 += 32
        }
        let sums = [a0.sum(), a1.sum(), a2.sum(), a3.sum()] as InlineArray<4, Float>
        for s in 0..<count { out[s * outStride] += sums[s] }
    }

    // MARK: - Rows × batch

    /// `y[s · rows + r] = row(r) · x_s` for r in `range` and all `batch` vectors, for a 32-block type with
    /// a decoder. Columns are taken in panels small enough that the batch's slice of x (batch × panel
    /// floats) stays in the L1 cache while every row of the range passes over it.
    @inline(__always)
    static func rows(_ matrix: WeightMatrix, _ range: Range<Int>, batch: Int,
                     _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                     blockBytes: Int, decode: BlockDecoder) {
        let columns = matrix.columns, rows = matrix.rows, blocks = columns / 32
        for s in 0..<batch { (y + s * rows + range.lowerBound).update(repeating: 0, count: range.count) }
        // Panels of ≈ 16 KB of activations (batch × panelBlocks × 128 bytes), split evenly.
        let panels = (blocks + max(2, 256 / batch) - 1) / max(2, 256 / batch)
        let panelBlocks = (blocks + panels - 1) / panels
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
                        if width > 4 {
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

    /// Any type: the row dequantized once to `buffer` (columns floats), then an fp32 dot per vector.
    @inline(__always)
    static func rowsGeneric(_ matrix: WeightMatrix, _ range: Range<Int>, batch: Int,
                            _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            buffer: UnsafeMutablePointer<Float>) {
        let columns = matrix.columns, rows = matrix.rows
        for r in range {
            matrix.dequantizeRow(r, into: buffer)
            for s in 0..<batch { y[s * rows + r] = RowDot.dot(buffer, x + s * columns, columns) }
        }
    }
}
