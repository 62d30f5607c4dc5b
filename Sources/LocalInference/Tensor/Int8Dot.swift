// Integer kernels for Q8_0, Q4_0, Q4_1, Q5_0, Q4_K and Q6_K weights (read through `Int8Weights`) against
// `Q8Activations` (x86-64-v3): the decode path of the engine, and of any batch under 64 rows. As in llama.cpp,
// weights and activations are multiplied as bytes (vpmaddubsw: 32 products summed in pairs to 16-bit lanes).
//
// Q8_0, Q4_0 and Q4_1 (`blockRows`): each block's dot q_w · q_x is summed exactly in integers, then
// converted to float once and scaled by d_w · d_x. Per (row, vector) the arithmetic is therefore the same
// whatever the kernel, so a sequence's logits are bit-identical alone or in any batch (BatchGenerator relies
// on it):
//   acc += float(Σ_j q_w,j q_x,j) · (d_w · d_x)          per block, in block order (one fused multiply-add)
//   min += m_w · (d_x Σ q_x)                              per block (Q4_0: m = −8 d_w, scaled at the end)
//   y (+)= acc + min                                      per panel of 64 blocks (the first stores)
// Two kernels compute it, each putting a different index in the eight float lanes so that the integer sum
// needs no horizontal reduction per (row, vector):
//   • a batch (`Int8Dot+Interleaved.swift`): lanes are eight vectors; four weights are broadcast and
//     multiplied by four bytes of each of eight vectors (activations interleaved so), 16-bit sums
//     accumulate over the block, one vpmaddwd per block and eight vectors. About twice the throughput of
//     a dot per (row, vector): one vector integer multiply per (row, vector, block) instead of two (they
//     issue once per cycle here), and no convert or FMA.
//   • a lone vector (`Int8Dot+EightRows.swift`): lanes are eight rows, whose dots are summed by a
//     tree of horizontal adds; the float accumulator no longer waits on the one before it for every block
//     (a 4-cycle chain per block bounded a single row).
// The unsigned Q4 nibbles (0…15) go straight into vpmaddubsw's unsigned operand; Q8_0's signed bytes use
// the sign trick (|w| and x · sign(w)), and so do Q5_0's, decoded to signed bytes q − 16 (`fiveBitWeights`).
// Products fit the 16-bit pair sums: 2 · 128 · 127 < 32,768, and for nibbles 16 products (a block's, eight
// vpmaddubsw) still do: 16 · 15 · 127 < 32,768.
// Q4_K and Q6_K have their own kernels (`Int8Dot+Q4_K.swift`, `Int8Dot+Q6_K.swift`), a 256-weight
// super-block at a time with integer sub-scales.

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel
import CPrefetch
#endif

enum Int8Dot {
    /// Blocks of 32 per activation scale that `type`'s kernel reads (see `Q8Activations.blocksPerScale`).
    static func blocksPerScale(_ type: GGMLType) -> Int { type == .q4_K || type == .q6_K ? 8 : 1 }

    /// The eight 6-bit scales and eight 6-bit minimums of a Q4_K super-block (12 bytes at `q`), one byte
    /// each, in sub-block order: the same values as `scaleMinK4(0…7)`, by whole-word masks and shifts.
    /// Bytes 0–3 hold the low 6 bits of scales 0–3 (top 2 bits: of scales 4–7), bytes 4–7 those of
    /// minimums 0–3 (top 2 bits: of minimums 4–7), bytes 8–11 the low 4 bits of scales 4–7 (low nibbles)
    /// and of minimums 4–7 (high nibbles).
    @inline(__always)
    static func unpackQ4_KScales(_ q: UnsafeRawPointer) -> (scales: UInt64, minimums: UInt64) {
        let w0 = q.loadUnaligned(as: UInt32.self), w1 = q.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let w2 = q.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let low6: UInt32 = 0x3f3f_3f3f, low4: UInt32 = 0x0f0f_0f0f, low2: UInt32 = 0x0303_0303
        let scalesLow = w0 & low6, scalesHigh = (w2 & low4) | (((w0 >> 6) & low2) << 4)
        let minimumsLow = w1 & low6, minimumsHigh = ((w2 >> 4) & low4) | (((w1 >> 6) & low2) << 4)
        return (UInt64(scalesLow) | UInt64(scalesHigh) << 32, UInt64(minimumsLow) | UInt64(minimumsHigh) << 32)
    }

    /// Whether `type` runs on the integer kernels in this build (x86-64-v3 builds: Q8_0, Q4_0, Q4_1, Q5_0,
    /// Q4_K, Q6_K).
    static func handles(_ type: GGMLType) -> Bool {
        #if JUDGE_X86_V3
        return type == .q8_0 || type == .q4_0 || type == .q4_1 || type == .q5_0 || type == .q4_K || type == .q6_K
        #else
        return false
        #endif
    }

    /// Blocks per column panel, as in `BatchDot`: the same split for every batch size.
    static let panelBlocks = 64

    /// How far ahead in a row the kernels prefetch when rows stream one at a time (batches of up to four, and
    /// Q4_K's lone vector; the lone-vector kernel of the other types prefetches the next eight rows instead).
    /// The hardware prefetcher alone left a 7B model's decoding waiting on its weight loads; 2–4 KB ahead
    /// measured +5 % at one and at two threads, 1 KB and 8 KB less (BENCHMARKS.md, "Engine speed", session 4).
    static let prefetchDistance = 4096

    #if JUDGE_X86_V3
    // MARK: - Pieces

    /// 16 bytes of nibbles (byte j: weight j low, weight j + 16 high) as 32 bytes 0…15 in weight order.
    /// The 16 bytes go to both halves by the load itself (`vbroadcasti128`), and one variable shift moves the
    /// upper half's high nibbles down: two instructions, where shift-then-insert took three.
    @inline(__always)
    static func nibbles(_ qs: UnsafeRawPointer) -> __m256i {
        let both = _mm256_broadcastsi128_si256(qs.loadUnaligned(as: __m128i.self))
        let shifted = _mm256_srlv_epi32(both, _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4))
        return _mm256_and_si256(shifted, _mm256_set1_epi8(0x0f))
    }

    /// A Q5_0 block's 32 weights as signed bytes q − 16 in weight order (as llama.cpp's AVX2 Q5_0 dot):
    /// the nibbles, with 0xF0 or-ed into every byte whose fifth bit is clear (nibble − 16 in two's
    /// complement; with the bit set, q − 16 is the nibble itself). Bit j of the 4 bytes at `block + 2`
    /// belongs to weight j: byte j of a 32-byte vector picks byte j / 8 of them (vpshufb), and or-ing every
    /// bit but bit j % 8 leaves 0xFF exactly where bit j is set.
    @inline(__always)
    static func fiveBitWeights(_ block: UnsafeRawPointer) -> __m256i {
        let bits = _mm256_set1_epi32(block.loadUnaligned(fromByteOffset: 2, as: Int32.self))
        let spread = _mm256_shuffle_epi8(bits, _mm256_set_epi64x(0x0303_0303_0303_0303, 0x0202_0202_0202_0202,
                                                                 0x0101_0101_0101_0101, 0))
        let set = _mm256_cmpeq_epi8(_mm256_or_si256(spread, _mm256_set1_epi64x(0x7fbf_dfef_f7fb_fdfe)), _mm256_set1_epi64x(-1))
        return _mm256_or_si256(nibbles(block + 6), _mm256_andnot_si256(set, _mm256_set1_epi8(-16)))
    }

    /// The 32 signed weights of a block of a signed type (Q8_0: its bytes; Q5_0: `fiveBitWeights`).
    @inline(__always)
    static func signedWeights<W: Int8BlockWeights>(_ block: UnsafeRawPointer, _: W.Type) -> __m256i {
        W.fiveBit ? fiveBitWeights(block) : (block + W.quantsOffset).loadUnaligned(as: __m256i.self)
    }

    /// The fp16 at `p` (a block's d) in all eight lanes: `vpbroadcastw` from memory, which writes the whole
    /// register, then `vcvtph2ps`. A scalar fp16 load compiles to `vpinsrw` into a register the allocator
    /// picks, a false dependency on its old value: in the decode tile that was the accumulator, and every
    /// block waited for the one before (half the speed a 7B model's instructions allow).
    @inline(__always)
    static func broadcastHalf(_ p: UnsafeRawPointer) -> __m256 {
        _mm256_cvtph_ps(_mm_set1_epi16(Int16(bitPattern: p.loadUnaligned(as: UInt16.self))))
    }

    // MARK: - Rows × batch (Q8_0, Q4_0, Q4_1)

    /// `y[s · rows + r] = row(r) · x_s` for r in `range` and every vector of `a`, in panels of
    /// `panelBlocks` blocks.
    ///
    /// A lone vector takes rows eight at a time (`tileEightRows`; a range's last rows below eight, one at a
    /// time, `tileRow`), streaming the weights from memory in order. A batch goes a row at a time over its
    /// groups of eight vectors, two groups per pass where it can (`tileInterleaved`); rows go in groups of 16
    /// whose weights stay cached from one panel to the next — except for batches of up to four, whose
    /// activations fit the L1 cache beside a streaming row: there rows go one at a time, in order
    /// (`forEachRowPanel`).
    @inline(__always)
    static func blockRows<W: Int8BlockWeights>(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations,
                                               _ y: UnsafeMutablePointer<Float>, _: W.Type) {
        let rows = matrix.rows, blocks = matrix.columns / 32, batch = a.batch
        // The first panel stores its sums and later panels add theirs (no zeroing pass over y).
        if batch == 1 {
            var r = range.lowerBound
            while r < range.upperBound {
                let eight = range.upperBound - r >= 8
                var first = 0
                while first < blocks {
                    let count = min(panelBlocks, blocks - first)
                    if eight {
                        tileEightRows(matrix.row(r), rowBytes: matrix.rowBytes, first: first, blocks: count, a, y + r, W.self)
                    } else {
                        tileRow(matrix.row(r), first: first, blocks: count, a, y + r, W.self)
                    }
                    first += count
                }
                r += eight ? 8 : 1
            }
            return
        }
        let groups = (batch + 7) / 8, streaming = batch <= 4
        forEachRowPanel(range, blocks: blocks, rowsPerGroup: streaming ? 1 : 16) { r, first, count in
            let row = matrix.row(r)
            var g = 0
            while g < groups {
                let out = y + 8 * g * rows + r, last = batch - 8 * g
                // Two groups per pass share each broadcast of the weights; group counts as literals,
                // so each call is unrolled for its own.
                if groups - g >= 2 {
                    tileInterleaved(groups: 2, row, first: first, blocks: count, a, group: g, count: min(16, last), out,
                                    outStride: rows, streaming: streaming, W.self)
                    g += 2
                } else {
                    tileInterleaved(groups: 1, row, first: first, blocks: count, a, group: g, count: min(8, last), out,
                                    outStride: rows, streaming: streaming, W.self)
                    g += 1
                }
            }
        }
    }

    /// `body(r, first, count)` for every row r in `range` and every column panel (`count` blocks from block
    /// `first`): rows in groups of `rowsPerGroup` whose weights stay cached from one panel to the next, or,
    /// with 1, a row at a time through all its panels, so that the weights stream from memory in order. The
    /// order of rows changes no sum: each row adds its panels in the same order either way.
    @inline(__always)
    static func forEachRowPanel(_ range: Range<Int>, blocks: Int, rowsPerGroup: Int,
                                _ body: (_ row: Int, _ first: Int, _ count: Int) -> Void) {
        var group = range.lowerBound
        while group < range.upperBound {
            let groupEnd = min(range.upperBound, group + rowsPerGroup)
            var first = 0
            while first < blocks {
                let count = min(panelBlocks, blocks - first)
                for r in group..<groupEnd { body(r, first, count) }
                first += count
            }
            group = groupEnd
        }
    }

    /// The end of a kernel: acc + min, with Q4_0's min scaled by its −8.
    @inline(__always)
    static func total<W: Int8BlockWeights>(_ acc: __m256, _ mins: __m256, _: W.Type) -> __m256 {
        guard W.hasMinimum else { return acc }
        return _mm256_add_ps(acc, W.minimumPerScale != 0 ? _mm256_mul_ps(mins, _mm256_set1_ps(W.minimumPerScale)) : mins)
    }
    #endif
}
