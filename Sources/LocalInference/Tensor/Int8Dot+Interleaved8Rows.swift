// The integer kernels of interleaved weights (`InterleavedLayout`): eight rows in the float lanes, one or
// four vectors per pass.
//
// Per block and step k, one 32-byte load holds four quants of each of the eight rows (Q4_0: nibbles, two
// steps' worth); they multiply four activation bytes broadcast to every lane (vpbroadcastd from memory), one
// vpmaddubsw per vector for eight rows. The 16-bit lanes sum products exactly while they fit (Q4_0 and Q5_0:
// a whole block; Q8_0: one step) before vpmaddwd widens them. Where the file's layout needs eight streams, a
// tree of horizontal adds and eight scalar loads for the scales (`Int8Dot+EightRows.swift`), here the rows
// stream from one place and their scales are one load.
//
// Q4_0, Q5_0 and Q8_0 keep `Int8Dot`'s arithmetic per (row, vector), so their results are bit-identical to
// the file layout's, alone or batched:
//   acc += float(Σ q_w q_x) · (d_w · d_x)     per block, in block order (Q5_0: q_w − 16 for q_w)
//   min += d_w · (d_x Σ q_x)                  per block, Q4_0 only (a second pass over the panel's scales)
//   y (+)= acc + (−8) · min  (Q5_0, Q8_0: acc) per panel of 64 blocks (the first stores)
// Q4_K and Q6_K (a super-block at a time) sum in integers wherever they can:
//   T = Σ_i scale_i Σ_j q_w q_x,  M = Σ_i min_i Σ_j q_x          exact, per super-block
//       (Q6_K: q_w − 32 for q_w, and no M)
//   acc += float(T) · (d · d_x),  min += float(M) · (dmin · d_x)  per super-block, in order
//   y (+)= acc − min                                              per panel of 64 blocks
// The same kernel serves a lone vector and a batch, so a sequence's result is the same alone or batched.
// `InterleavedKernelTests` holds both to their scalar references bit for bit.

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel
import CPrefetch

extension Int8Dot {
    /// `y[s · rows + r] = row(r) · x_s` for r in `range` (whole groups of eight) and every vector of `a`, for
    /// an interleaved matrix. Eight rows at a time through all their panels; per panel, the vectors four at a
    /// time (eight with AVX-512 VNNI) while the panel's weights (9 KB of Q4_0, 17 KB of Q5_0 and Q8_0, 9.25 KB of Q4_K, 13 KB of Q6_K) stay in the L1 cache.
    /// `kernels`: VNNI's for Q4_0 and Q4_K (`Int8Dot+VNNI.swift`) unless `.avx2`.
    @inline(__always)
    static func interleavedRows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations,
                                _ y: UnsafeMutablePointer<Float>, kernels: InterleavedKernels = .avx2) {
        let vnni = kernels != .avx2 && (matrix.type == .q4_0 || matrix.type == .q4_K)
        precondition(range.lowerBound % 8 == 0 && range.upperBound % 8 == 0)
        let rows = matrix.rows, blocks = matrix.columns / 32, batch = a.batch, type = matrix.type
        // The tiles' fixed activation offsets: a batch interleaved for Q4_0, Q5_0 and Q8_0 (`blocksPerScale` 1),
        // plain for Q4_K and Q6_K.
        precondition(a.interleaved == (batch > 1 && blocksPerScale(type) == 1))
        // Vectors per tile: four, or eight where the VNNI form has the registers (a batch of more than four is
        // padded to whole eights, `Q8Activations.stride`).
        let step = vnni && batch > 4 ? kernels.widestTile : 4
        var g = range.lowerBound / 8
        while g < range.upperBound / 8 {
            let group = matrix.group(g)
            var first = 0
            while first < blocks {
                let count = min(panelBlocks, blocks - first)
                var s = 0
                while s < batch {
                    let out = y + s * rows + 8 * g
                    if vnni {
                        tileVNNI(kernels, type, width: batch == 1 ? 1 : Int32(step), group, first: first, blocks: count,
                                 a, s0: s, count: min(step, batch - s), out, outStride: rows)
                    } else if batch == 1 {
                        switch type {
                        case .q4_K: tileQ4_Kx8w1(group, first: first, blocks: count, a, s0: 0, count: 1, out, outStride: rows)
                        case .q6_K: tileQ6_Kx8w1(group, first: first, blocks: count, a, s0: 0, count: 1, out, outStride: rows)
                        case .q8_0: tileQ8_0x8w1(group, first: first, blocks: count, a, s0: 0, count: 1, out, outStride: rows)
                        case .q5_0: tileQ5_0x8w1(group, first: first, blocks: count, a, s0: 0, count: 1, out, outStride: rows)
                        default: tileQ4_0x8w1(group, first: first, blocks: count, a, s0: 0, count: 1, out, outStride: rows)
                        }
                    } else {
                        let n = min(4, batch - s)
                        switch type {
                        case .q4_K: tileQ4_Kx8w4(group, first: first, blocks: count, a, s0: s, count: n, out, outStride: rows)
                        case .q6_K: tileQ6_Kx8w4(group, first: first, blocks: count, a, s0: s, count: n, out, outStride: rows)
                        case .q8_0: tileQ8_0x8w4(group, first: first, blocks: count, a, s0: s, count: n, out, outStride: rows)
                        case .q5_0: tileQ5_0x8w4(group, first: first, blocks: count, a, s0: s, count: n, out, outStride: rows)
                        default: tileQ4_0x8w4(group, first: first, blocks: count, a, s0: s, count: n, out, outStride: rows)
                        }
                    }
                    s += step
                }
                first += count
            }
            g += 1
        }
    }

    // MARK: - Pieces

    /// Where vector `s`'s block `b` starts in `a.quants`: in the interleaved batch layout, bytes 4k ..< 4k + 4
    /// of the block lie 32 bytes after those of step k − 1, and the next vector's 4 bytes after its own.
    @inline(__always)
    static func activationBlock(_ a: Q8Activations, _ b: Int, _ s: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(a.quants + a.offset(b, s, byte: 0))
    }

    /// Four activation bytes at `p` in every 32-bit lane (vpbroadcastd from memory).
    @inline(__always)
    static func broadcast4(_ p: UnsafeRawPointer) -> __m256i { _mm256_set1_epi32(p.loadUnaligned(as: Int32.self)) }

    /// The eight fp16 at `p` as floats (one 16-byte load, vcvtph2ps).
    @inline(__always)
    static func halves8(_ p: UnsafeRawPointer) -> __m256 { _mm256_cvtph_ps(p.loadUnaligned(as: __m128i.self)) }

    /// `out[k · outStride ..< +8] (+)= sums_k` for the first `count` of the (up to four) vectors.
    @inline(__always)
    static func store8(count: Int, first: Bool, _ out: UnsafeMutablePointer<Float>, outStride: Int,
                       _ t0: __m256, _ t1: __m256, _ t2: __m256, _ t3: __m256) {
        @inline(__always) func put(_ k: Int, _ t: __m256) {
            let p = out + k * outStride
            _mm256_storeu_ps(p, first ? t : _mm256_add_ps(_mm256_loadu_ps(p), t))
        }
        put(0, t0)
        if count > 1 { put(1, t1) }
        if count > 2 { put(2, t2) }
        if count > 3 { put(3, t3) }
    }

    // MARK: - Q4_0

    /// Eight interleaved Q4_0 rows · `width` (1 or 4, a constant at each call) vectors from `s0`, over
    /// `blocks` blocks from block `first`; stores (first panel) or adds the first `count` vectors' results.
    @inline(__always)
    static func tileQ4_0x8(width: Int, _ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                           s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        // A batch's activations are interleaved (`Q8Activations`): the four vectors' bytes of a step lie 4 bytes
        // apart, a step 32 bytes after the one before; a lone vector's steps are 4 bytes apart. Constants, so
        // that every load is one base register plus an offset.
        let vectorStep = 4, stepBytes = width == 1 ? 4 : 32, blockStep = 32 * a.stride
        var x = activationBlock(a, first, s0)
        var dx = UnsafePointer(a.scales + first * a.stride + s0)
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256()
        let ones = _mm256_set1_epi16(1), low = _mm256_set1_epi8(0x0f)
        for b in first..<(first + blocks) {
            let block = group + 144 * b
            if width == 1 {   // the one stream of eight rows, about 4 KB ahead
                judge_prefetch(block + prefetchDistance); judge_prefetch(block + prefetchDistance + 64)
                judge_prefetch(block + prefetchDistance + 128)
            }
            var p0 = __m256i(), p1 = __m256i(), p2 = __m256i(), p3 = __m256i()   // (16) per vector: pair sums of 8 rows
            for k in 0..<4 {
                let w = block.loadUnaligned(fromByteOffset: 16 + 32 * k, as: __m256i.self)
                let lo = _mm256_and_si256(w, low), hi = _mm256_and_si256(_mm256_srli_epi16(w, 4), low)
                @inline(__always) func step(_ p: inout __m256i, _ v: Int) {
                    p = _mm256_add_epi16(p, _mm256_maddubs_epi16(lo, broadcast4(x + v * vectorStep + k * stepBytes)))
                    p = _mm256_add_epi16(p, _mm256_maddubs_epi16(hi, broadcast4(x + v * vectorStep + (4 + k) * stepBytes)))
                }
                step(&p0, 0)
                if width > 1 { step(&p1, 1); step(&p2, 2); step(&p3, 3) }
            }
            let d = halves8(block)
            @inline(__always) func finish(_ acc: inout __m256, _ p: __m256i, _ v: Int) {
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(p, ones)), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc)
            }
            finish(&a0, p0, 0)
            if width > 1 { finish(&a1, p1, 1); finish(&a2, p2, 2); finish(&a3, p3, 3) }
            x += blockStep; dx += a.stride
        }
        // The minimum's terms d_w · (d_x Σ q_x), from the panel's scales again (in the L1 cache).
        var m0 = __m256(), m1 = __m256(), m2 = __m256(), m3 = __m256()
        var sx = UnsafePointer(a.sums + first * a.sumStride + s0)
        for b in first..<(first + blocks) {
            let d = halves8(group + 144 * b)
            m0 = _mm256_fmadd_ps(d, _mm256_broadcast_ss(sx), m0)
            if width > 1 {
                m1 = _mm256_fmadd_ps(d, _mm256_broadcast_ss(sx + 1), m1)
                m2 = _mm256_fmadd_ps(d, _mm256_broadcast_ss(sx + 2), m2)
                m3 = _mm256_fmadd_ps(d, _mm256_broadcast_ss(sx + 3), m3)
            }
            sx += a.sumStride
        }
        let eight = _mm256_set1_ps(-8)
        store8(count: count, first: first == 0, out, outStride: outStride,
               _mm256_add_ps(a0, _mm256_mul_ps(m0, eight)), _mm256_add_ps(a1, _mm256_mul_ps(m1, eight)),
               _mm256_add_ps(a2, _mm256_mul_ps(m2, eight)), _mm256_add_ps(a3, _mm256_mul_ps(m3, eight)))
    }

    /// `tileQ4_0x8` with its width a constant, one function per width: deliberate per-width kernels, as in
    /// `Int8Dot+Q4_K.swift` (each specialized, its accumulators in registers, kept out of line).
    @inline(never)
    static func tileQ4_0x8w1(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_0x8(width: 1, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ4_0x8w4(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_0x8(width: 4, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    // MARK: - Q8_0 and Q5_0

    /// Eight interleaved Q8_0 (or, `fiveBit`, Q5_0) rows · `width` (1 or 4, a constant at each call) vectors
    /// from `s0`, over `blocks` blocks from block `first`; stores (first panel) or adds the first `count`
    /// vectors' results.
    ///
    /// Both hold signed bytes (Q8_0's own; Q5_0's q − 16, decoded at load) that go through the sign trick, as
    /// in the file layout's kernels: |w| as vpmaddubsw's unsigned operand, x · sign(w) as its signed one. A
    /// Q8_0 step's pair sums (2 · 128 · 127 at most) fill the 16-bit lanes, so each step widens to 32 bits at
    /// once (vpmaddwd); Q5_0's (|w| ≤ 16) fit a whole block (8 · 2 · 16 · 127 < 32,768) and widen once.
    @inline(__always)
    static func tileSignedx8(width: Int, fiveBit: Bool, _ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                             s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        // The activations as for Q4_0: a batch's interleaved (steps 32 bytes apart, vectors 4), a lone
        // vector's plain (steps 4 bytes apart).
        let vectorStep = 4, stepBytes = width == 1 ? 4 : 32, blockStep = 32 * a.stride
        var x = activationBlock(a, first, s0)
        var dx = UnsafePointer(a.scales + first * a.stride + s0)
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256()   // (8 rows) per vector
        let ones = _mm256_set1_epi16(1)
        for b in first..<(first + blocks) {
            let block = group + 272 * b
            if width == 1 {   // the one stream of eight rows, about 4 KB ahead: this block's five lines
                for line in 0..<5 { judge_prefetch(block + prefetchDistance + 64 * line) }
            }
            var p0 = __m256i(), p1 = __m256i(), p2 = __m256i(), p3 = __m256i()   // (8 rows) per vector: Σ q_w q_x
            for k in 0..<8 {
                let w = block.loadUnaligned(fromByteOffset: 16 + 32 * k, as: __m256i.self)
                let magnitude = _mm256_abs_epi8(w)
                @inline(__always) func step(_ p: inout __m256i, _ v: Int) {
                    let products = _mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(broadcast4(x + v * vectorStep + k * stepBytes), w))
                    p = fiveBit ? _mm256_add_epi16(p, products) : _mm256_add_epi32(p, _mm256_madd_epi16(products, ones))
                }
                step(&p0, 0)
                if width > 1 { step(&p1, 1); step(&p2, 2); step(&p3, 3) }
            }
            let d = halves8(block)
            @inline(__always) func finish(_ acc: inout __m256, _ p: __m256i, _ v: Int) {
                let sums = fiveBit ? _mm256_madd_epi16(p, ones) : p
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc)
            }
            finish(&a0, p0, 0)
            if width > 1 { finish(&a1, p1, 1); finish(&a2, p2, 2); finish(&a3, p3, 3) }
            x += blockStep; dx += a.stride
        }
        store8(count: count, first: first == 0, out, outStride: outStride, a0, a1, a2, a3)
    }

    /// `tileSignedx8` with its width and kind constants, one function each (as `tileQ4_0x8w1`).
    @inline(never)
    static func tileQ8_0x8w1(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileSignedx8(width: 1, fiveBit: false, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ8_0x8w4(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileSignedx8(width: 4, fiveBit: false, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ5_0x8w1(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileSignedx8(width: 1, fiveBit: true, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ5_0x8w4(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileSignedx8(width: 4, fiveBit: true, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    // MARK: - Q4_K

    /// Eight interleaved Q4_K rows · `width` (1 or 4) vectors from `s0`, over `blocks` blocks of 32 (whole
    /// super-blocks) from block `first`; stores (first panel) or adds the first `count` vectors' results.
    @inline(__always)
    static func tileQ4_Kx8(width: Int, _ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                           s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        // Q4_K's activations are never interleaved: vectors 32 bytes apart, steps 4 (constants, as in Q4_0).
        let vectorStep = 32, blockStep = 32 * a.stride
        var x = activationBlock(a, first, s0)
        var dx = UnsafePointer(a.scales + first / 8 * a.stride + s0)
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256()
        let low = _mm256_set1_epi8(0x0f)
        for superBlock in (first / 8)..<((first + blocks) / 8) {
            let block = group + 1184 * superBlock
            var t0 = __m256i(), t1 = __m256i(), t2 = __m256i(), t3 = __m256i()   // (8 rows) Σ_i scale_i Σ q_w q_x
            for i in 0..<8 {   // sub-block i: pair i / 2, low nibbles for even i
                if width == 1 {   // this sub-block's 128 bytes, about 4 KB ahead
                    judge_prefetch(block + 160 + 128 * i + prefetchDistance); judge_prefetch(block + 224 + 128 * i + prefetchDistance)
                }
                var p0 = __m256i(), p1 = __m256i(), p2 = __m256i(), p3 = __m256i()
                for k in 0..<8 {
                    let bytes = block.loadUnaligned(fromByteOffset: 160 + 256 * (i >> 1) + 32 * k, as: __m256i.self)
                    let w = _mm256_and_si256((i & 1) == 0 ? bytes : _mm256_srli_epi16(bytes, 4), low)
                    @inline(__always) func step(_ p: inout __m256i, _ v: Int) {
                        p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w, broadcast4(x + v * vectorStep + 4 * k)))
                    }
                    step(&p0, 0)
                    if width > 1 { step(&p1, 1); step(&p2, 2); step(&p3, 3) }
                }
                // The eight rows' scale_i in both 16-bit halves of their lanes.
                let scale32 = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(block.loadUnaligned(fromByteOffset: 32 + 8 * i, as: Int64.self)))
                let scale = _mm256_or_si256(scale32, _mm256_slli_epi32(scale32, 16))
                t0 = _mm256_add_epi32(t0, _mm256_madd_epi16(p0, scale))
                if width > 1 {
                    t1 = _mm256_add_epi32(t1, _mm256_madd_epi16(p1, scale))
                    t2 = _mm256_add_epi32(t2, _mm256_madd_epi16(p2, scale))
                    t3 = _mm256_add_epi32(t3, _mm256_madd_epi16(p3, scale))
                }
                x += blockStep
            }
            let d = halves8(block)
            @inline(__always) func finish(_ acc: inout __m256, _ t: __m256i, _ v: Int) {
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc)
            }
            finish(&a0, t0, 0)
            if width > 1 { finish(&a1, t1, 1); finish(&a2, t2, 2); finish(&a3, t3, 3) }
            dx += a.stride
        }
        // The minimums' terms: M = Σ_i min_i Σ q_x in integers (pairs of sub-blocks per vpmaddwd), then
        // float(M) · (dmin · d_x), from the panel's scales again (in the L1 cache).
        var m0 = __m256(), m1 = __m256(), m2 = __m256(), m3 = __m256()
        dx = UnsafePointer(a.scales + first / 8 * a.stride + s0)
        for superBlock in (first / 8)..<((first + blocks) / 8) {
            let block = group + 1184 * superBlock
            var n0 = __m256i(), n1 = __m256i(), n2 = __m256i(), n3 = __m256i()
            for p in 0..<4 {
                let minimums = _mm256_cvtepu8_epi16(block.loadUnaligned(fromByteOffset: 96 + 16 * p, as: __m128i.self))
                /// Vector v's Σ q_x of sub-blocks 2p and 2p + 1, as two 16-bit halves in every lane.
                @inline(__always) func totals(_ v: Int) -> __m256i {
                    broadcast4(UnsafeRawPointer(a.totals + (s0 + v) * a.blocks + 8 * superBlock + 2 * p))
                }
                n0 = _mm256_add_epi32(n0, _mm256_madd_epi16(minimums, totals(0)))
                if width > 1 {
                    n1 = _mm256_add_epi32(n1, _mm256_madd_epi16(minimums, totals(1)))
                    n2 = _mm256_add_epi32(n2, _mm256_madd_epi16(minimums, totals(2)))
                    n3 = _mm256_add_epi32(n3, _mm256_madd_epi16(minimums, totals(3)))
                }
            }
            let dmin = halves8(block + 16)
            @inline(__always) func finish(_ acc: inout __m256, _ n: __m256i, _ v: Int) {
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(n), _mm256_mul_ps(dmin, _mm256_broadcast_ss(dx + v)), acc)
            }
            finish(&m0, n0, 0)
            if width > 1 { finish(&m1, n1, 1); finish(&m2, n2, 2); finish(&m3, n3, 3) }
            dx += a.stride
        }
        store8(count: count, first: first == 0, out, outStride: outStride,
               _mm256_sub_ps(a0, m0), _mm256_sub_ps(a1, m1), _mm256_sub_ps(a2, m2), _mm256_sub_ps(a3, m3))
    }

    /// `tileQ4_Kx8` with its width a constant, one function per width: deliberate per-width kernels, as in
    /// `Int8Dot+Q4_K.swift` (each specialized, its accumulators in registers, kept out of line).
    @inline(never)
    static func tileQ4_Kx8w1(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_Kx8(width: 1, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ4_Kx8w4(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_Kx8(width: 4, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    // MARK: - Q6_K

    /// Eight interleaved Q6_K rows · `width` (1 or 4) vectors from `s0`, over `blocks` blocks of 32 (whole
    /// super-blocks) from block `first`; stores (first panel) or adds the first `count` vectors' results.
    ///
    /// In integers per super-block and (row, vector), T = Σ_i scale_i Σ_(j in sub-block i) (q_j − 32) q_x,j,
    /// exact as in the file layout's kernel (`Int8Dot+Q6_K.swift`); then acc += float(T) · (d · d_x), per
    /// super-block in order, as the interleaved Q4_K. The signed weights q − 32 (|w| ≤ 32) go through the
    /// sign trick, and a sub-block's four steps fit the 16-bit pair sums (4 · 2 · 32 · 127 < 32,768): one
    /// vpmaddwd against the sub-block's scale per sub-block and vector, where the file layout needs one a step.
    @inline(__always)
    static func tileQ6_Kx8(width: Int, _ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                           s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        // K-quant activations are never interleaved: vectors 32 bytes apart, steps 4 (as Q4_K).
        let vectorStep = 32, blockStep = 32 * a.stride
        var x = activationBlock(a, first, s0)
        var dx = UnsafePointer(a.scales + first / 8 * a.stride + s0)
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256()
        let low = _mm256_set1_epi8(0x0f), top = _mm256_set1_epi8(0x30), offset = _mm256_set1_epi8(32)
        for superBlock in (first / 8)..<((first + blocks) / 8) {
            let block = group + 1680 * superBlock
            var t0 = __m256i(), t1 = __m256i(), t2 = __m256i(), t3 = __m256i()   // (8 rows) T per vector
            for i in 0..<16 {
                let base = block + 144 + 96 * i
                if width == 1 {   // this sub-block's 96 bytes, about 4 KB ahead
                    judge_prefetch(base + prefetchDistance); judge_prefetch(base + prefetchDistance + 64)
                }
                // Activation bytes of step 4i + t: block i / 2, its step 4 (i % 2) + t.
                let xi = x + (i >> 1) * blockStep + 16 * (i & 1)
                var p0 = __m256i(), p1 = __m256i(), p2 = __m256i(), p3 = __m256i()   // (16) per vector: pair sums
                for t in 0..<4 {
                    let bits = base.loadUnaligned(fromByteOffset: 32 * (t & 1), as: __m256i.self)
                    let high = base.loadUnaligned(fromByteOffset: 64, as: __m256i.self)
                    // q of step 4i + t: its low 4 bits (a nibble of `bits`), its top 2 (bits 2t of `high`) at 4–5.
                    let nibble = _mm256_and_si256(t < 2 ? bits : _mm256_srli_epi16(bits, 4), low)
                    let shifted: __m256i
                    switch t {
                    case 0: shifted = _mm256_slli_epi16(high, 4)
                    case 1: shifted = _mm256_slli_epi16(high, 2)
                    case 2: shifted = high
                    default: shifted = _mm256_srli_epi16(high, 2)
                    }
                    let w = _mm256_sub_epi8(_mm256_or_si256(nibble, _mm256_and_si256(shifted, top)), offset)
                    let magnitude = _mm256_abs_epi8(w)
                    @inline(__always) func step(_ p: inout __m256i, _ v: Int) {
                        let signed = _mm256_sign_epi8(broadcast4(xi + v * vectorStep + 4 * t), w)
                        p = _mm256_add_epi16(p, _mm256_maddubs_epi16(magnitude, signed))
                    }
                    step(&p0, 0)
                    if width > 1 { step(&p1, 1); step(&p2, 2); step(&p3, 3) }
                }
                // The eight rows' scale_i in both 16-bit halves of their lanes.
                let scale32 = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(block.loadUnaligned(fromByteOffset: 16 + 8 * i, as: Int64.self)))
                let scale = _mm256_or_si256(_mm256_and_si256(scale32, _mm256_set1_epi32(0xffff)), _mm256_slli_epi32(scale32, 16))
                t0 = _mm256_add_epi32(t0, _mm256_madd_epi16(p0, scale))
                if width > 1 {
                    t1 = _mm256_add_epi32(t1, _mm256_madd_epi16(p1, scale))
                    t2 = _mm256_add_epi32(t2, _mm256_madd_epi16(p2, scale))
                    t3 = _mm256_add_epi32(t3, _mm256_madd_epi16(p3, scale))
                }
            }
            let d = halves8(block)
            @inline(__always) func finish(_ acc: inout __m256, _ t: __m256i, _ v: Int) {
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc)
            }
            finish(&a0, t0, 0)
            if width > 1 { finish(&a1, t1, 1); finish(&a2, t2, 2); finish(&a3, t3, 3) }
            x += 8 * blockStep; dx += a.stride
        }
        store8(count: count, first: first == 0, out, outStride: outStride, a0, a1, a2, a3)
    }

    /// `tileQ6_Kx8` with its width a constant, one function per width (as `tileQ4_Kx8w1`).
    @inline(never)
    static func tileQ6_Kx8w1(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ6_Kx8(width: 1, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ6_Kx8w4(_ group: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                             _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ6_Kx8(width: 4, group, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }
}
#endif
