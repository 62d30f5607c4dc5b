// The load-time weight layout of the integer kernels: eight rows interleaved block by block, as llama.cpp's
// repack does (`q4_0_8x8`, `q4_K_8x8`), but in a layout of our own. The eight rows' quants of one block lie
// in 4-byte steps — step k holds bytes 4k ..< 4k + 4 of row 0, then of row 1, … of row 7 — so one 32-byte
// load gives eight rows' worth of a step, and a broadcast of four activation bytes multiplies all eight
// rows at once (`Int8Dot+Repacked.swift`): the float lanes are the rows, the eight rows stream from one
// place, and their scales are one load.
//
// Q4_0, per block of 32 columns and eight rows (144 bytes, the eight blocks' own size):
//   0    d of rows 0–7, fp16                                          (16)
//   16   4 steps × 8 rows × 4 bytes of nibbles (the file's bytes)     (128)
// Q5_0, per block of 32 columns and eight rows (272 bytes, where the eight blocks take 176):
//   0    d of rows 0–7, fp16                                          (16)
//   16   8 steps × 8 rows × 4 bytes, each weight's q − 16 (−16…15)    (256)
//        (decoded once at load from the fifth bits and nibbles: the kernel multiplies bytes as they lie,
//        where the file's layout spent a dozen instructions a block and row putting them together)
// Q8_0, per block of 32 columns and eight rows (272 bytes, the eight blocks' own size):
//   0    d of rows 0–7, fp16                                          (16)
//   16   8 steps × 8 rows × 4 signed bytes (the file's bytes)         (256)
// Q6_K, per super-block of 256 columns and eight rows (1,680 bytes, the eight blocks' own size), with step
// s (0–63) holding weights 4s ..< 4s + 4, and sub-block i (0–15, one scale) steps 4i ..< 4i + 4:
//   0    d of rows 0–7, fp16                                          (16)
//   16   scale of sub-block i of row r, at 8i + r, signed             (128)
//   144  per sub-block i, 96 bytes at 144 + 96i:                      (1,536)
//          0   8 rows × 4 bytes: low 4 bits of step 4i (low nibbles), of step 4i + 2 (high nibbles)
//          32  the same for steps 4i + 1 and 4i + 3
//          64  8 rows × 4 bytes: top 2 bits of step 4i + t at bits 2t, 2t + 1
//        (so a sub-block's 128 six-bit weights of eight rows are three loads, decoded with whole-vector
//        shifts and masks)
// Q4_K, per super-block of 256 columns and eight rows (1,184 bytes: the eight blocks' 1,152 + 32):
//   0    d of rows 0–7, fp16                                          (16)
//   16   dmin of rows 0–7, fp16                                       (16)
//   32   scale of sub-block i (0–7) of row r (0–7), at 8i + r, 6 bits (64)
//   96   minimums of sub-blocks 2p, 2p + 1 of row r, at 16p + 2r      (64)
//   160  4 pairs × 8 steps × 8 rows × 4 bytes of nibbles              (1,024)
//        (pair p: the 32 bytes 32p ..< 32p + 32 of the file's `qs`: sub-block 2p low, 2p + 1 high)

/// How a `WeightMatrix`'s bytes are laid out.
enum WeightLayout: Sendable, Equatable {
    /// The file's: each row contiguous.
    case rows
    /// Eight rows interleaved per block (see `InterleavedLayout.swift`): `rows` is a multiple of 8.
    case interleaved
}

/// The geometry of the interleaved layout, per type.
enum InterleavedLayout {
    /// Whether `type` has an interleaved layout (and kernels for it) in this build.
    static func supports(_ type: GGMLType) -> Bool {
        #if JUDGE_X86_V3
        return type == .q4_0 || type == .q5_0 || type == .q8_0 || type == .q4_K || type == .q6_K
        #else
        return false
        #endif
    }

    /// Bytes of one block of eight rows: 144 (Q4_0, 32 columns), 272 (Q5_0 and Q8_0, 32 columns), 1,184
    /// (Q4_K, 256 columns) or 1,680 (Q6_K, 256 columns).
    static func blockBytes(_ type: GGMLType) -> Int {
        switch type {
        case .q4_0: return 144
        case .q5_0, .q8_0: return 272
        case .q4_K: return 1184
        case .q6_K: return 1680
        default: preconditionFailure("no interleaved layout for \(type.name)")
        }
    }

    /// Bytes of eight rows of `columns` columns.
    static func groupBytes(_ type: GGMLType, columns: Int) -> Int { columns / type.blockSize * blockBytes(type) }

    // MARK: - Repacking

    /// Writes the eight rows at `rows` (the file's layout, `rowBytes` apart; `blocks` blocks each) interleaved
    /// at `group`.
    static func interleave(_ type: GGMLType, rows: UnsafeRawPointer, rowBytes: Int, blocks: Int,
                           into group: UnsafeMutableRawPointer) {
        switch type {
        case .q4_0, .q8_0:
            let fileBytes = type.bytesPerBlock, steps = (fileBytes - 2) / 4, outBytes = blockBytes(type)
            for b in 0..<blocks {
                let out = group + outBytes * b
                for r in 0..<8 {
                    let block = rows + r * rowBytes + fileBytes * b
                    out.storeBytes(of: block.loadUnaligned(as: UInt16.self), toByteOffset: 2 * r, as: UInt16.self)
                    for k in 0..<steps {
                        out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2 + 4 * k, as: UInt32.self),
                                       toByteOffset: 16 + 32 * k + 4 * r, as: UInt32.self)
                    }
                }
            }
        case .q5_0:
            for b in 0..<blocks {
                let out = group + 272 * b
                for r in 0..<8 {
                    let block = rows + r * rowBytes + 22 * b
                    out.storeBytes(of: block.loadUnaligned(as: UInt16.self), toByteOffset: 2 * r, as: UInt16.self)
                    let high = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                    for j in 0..<32 {
                        let byte = block.load(fromByteOffset: 6 + j % 16, as: UInt8.self)
                        let q = (j < 16 ? byte & 0x0f : byte >> 4) | UInt8(truncatingIfNeeded: (high >> j) & 1) << 4
                        out.storeBytes(of: Int8(q) - 16, toByteOffset: 16 + 32 * (j / 4) + 4 * r + j % 4, as: Int8.self)
                    }
                }
            }
        case .q6_K:
            for b in 0..<blocks {
                let out = group + 1680 * b
                for r in 0..<8 {
                    let block = rows + r * rowBytes + 210 * b
                    out.storeBytes(of: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self), toByteOffset: 2 * r, as: UInt16.self)
                    for i in 0..<16 {
                        out.storeBytes(of: block.load(fromByteOffset: 192 + i, as: UInt8.self), toByteOffset: 16 + 8 * i + r, as: UInt8.self)
                    }
                    // Row r's four bytes of each of a sub-block's three vectors (see `q6_KPlace`), as words.
                    let q = q6_KQuants(block)
                    for i in 0..<16 {
                        var low0: UInt32 = 0, low1: UInt32 = 0, high: UInt32 = 0
                        for e in 0..<4 {
                            let n = 16 * i + e
                            let q0 = UInt32(q[n]), q1 = UInt32(q[n + 4]), q2 = UInt32(q[n + 8]), q3 = UInt32(q[n + 12])
                            low0 |= (q0 & 0x0f | (q2 & 0x0f) << 4) << (8 * e)
                            low1 |= (q1 & 0x0f | (q3 & 0x0f) << 4) << (8 * e)
                            high |= (q0 >> 4 | (q1 >> 4) << 2 | (q2 >> 4) << 4 | (q3 >> 4) << 6) << (8 * e)
                        }
                        let base = 144 + 96 * i + 4 * r
                        out.storeBytes(of: low0, toByteOffset: base, as: UInt32.self)
                        out.storeBytes(of: low1, toByteOffset: base + 32, as: UInt32.self)
                        out.storeBytes(of: high, toByteOffset: base + 64, as: UInt32.self)
                    }
                }
            }
        case .q4_K:
            for b in 0..<blocks {
                let out = group + 1184 * b
                for r in 0..<8 {
                    let block = rows + r * rowBytes + 144 * b
                    out.storeBytes(of: block.loadUnaligned(as: UInt16.self), toByteOffset: 2 * r, as: UInt16.self)
                    out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self), toByteOffset: 16 + 2 * r,
                                   as: UInt16.self)
                    for i in 0..<8 {
                        let (scale, minimum) = scaleMinK4(i, block + 4)
                        out.storeBytes(of: scale, toByteOffset: 32 + 8 * i + r, as: UInt8.self)
                        out.storeBytes(of: minimum, toByteOffset: 96 + 16 * (i / 2) + 2 * r + i % 2, as: UInt8.self)
                    }
                    for p in 0..<4 {
                        for k in 0..<8 {
                            out.storeBytes(of: block.loadUnaligned(fromByteOffset: 16 + 32 * p + 4 * k, as: UInt32.self),
                                           toByteOffset: 160 + 256 * p + 32 * k + 4 * r, as: UInt32.self)
                        }
                    }
                }
            }
        default:
            preconditionFailure("no interleaved layout for \(type.name)")
        }
    }

    /// Writes row `r` (0–7) of the interleaved `group` in the file's layout at `row` (`blocks` blocks): the
    /// exact inverse of `interleave`, for lookups (token embeddings) and the dequantizing sgemm path.
    static func extract(_ type: GGMLType, group: UnsafeRawPointer, row r: Int, blocks: Int, into row: UnsafeMutableRawPointer) {
        switch type {
        case .q4_0, .q8_0:
            let fileBytes = type.bytesPerBlock, steps = (fileBytes - 2) / 4, inBytes = blockBytes(type)
            for b in 0..<blocks {
                let block = group + inBytes * b, out = row + fileBytes * b
                out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2 * r, as: UInt16.self), as: UInt16.self)
                for k in 0..<steps {
                    out.storeBytes(of: block.loadUnaligned(fromByteOffset: 16 + 32 * k + 4 * r, as: UInt32.self),
                                   toByteOffset: 2 + 4 * k, as: UInt32.self)
                }
            }
        case .q5_0:
            for b in 0..<blocks {
                let block = group + 272 * b, out = row + 22 * b
                out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2 * r, as: UInt16.self), as: UInt16.self)
                var high: UInt32 = 0
                for j in 0..<32 {
                    let q = UInt8(block.load(fromByteOffset: 16 + 32 * (j / 4) + 4 * r + j % 4, as: Int8.self) + 16)
                    high |= UInt32(q >> 4 & 1) << j
                    let offset = 6 + j % 16, old = j < 16 ? 0 : out.load(fromByteOffset: offset, as: UInt8.self)
                    out.storeBytes(of: j < 16 ? q & 0x0f : old | (q & 0x0f) << 4, toByteOffset: offset, as: UInt8.self)
                }
                out.storeBytes(of: high, toByteOffset: 2, as: UInt32.self)
            }
        case .q6_K:
            for b in 0..<blocks {
                let block = group + 1680 * b, out = row + 210 * b
                out.initializeMemory(as: UInt8.self, repeating: 0, count: 210)
                out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2 * r, as: UInt16.self), toByteOffset: 208, as: UInt16.self)
                for i in 0..<16 {
                    out.storeBytes(of: block.load(fromByteOffset: 16 + 8 * i + r, as: UInt8.self), toByteOffset: 192 + i, as: UInt8.self)
                }
                for n in 0..<256 {
                    let (low, lowShift, high, highShift) = q6_KPlace(n, row: r)
                    let q = (block.load(fromByteOffset: low, as: UInt8.self) >> lowShift) & 0x0f
                        | (block.load(fromByteOffset: high, as: UInt8.self) >> highShift & 3) << 4
                    // The file's places of weight n (see `q6_KQuant`).
                    let half = n / 128, j = n % 128 / 32, l = n % 32
                    let ql = 64 * half + 32 * (j % 2) + l, qh = 128 + 32 * half + l
                    out.storeBytes(of: out.load(fromByteOffset: ql, as: UInt8.self) | (q & 0x0f) << (j >= 2 ? 4 : 0), toByteOffset: ql, as: UInt8.self)
                    out.storeBytes(of: out.load(fromByteOffset: qh, as: UInt8.self) | (q >> 4) << (2 * j), toByteOffset: qh, as: UInt8.self)
                }
            }
        case .q4_K:
            for b in 0..<blocks {
                let block = group + 1184 * b, out = row + 144 * b
                out.storeBytes(of: block.loadUnaligned(fromByteOffset: 2 * r, as: UInt16.self), as: UInt16.self)
                out.storeBytes(of: block.loadUnaligned(fromByteOffset: 16 + 2 * r, as: UInt16.self), toByteOffset: 2,
                               as: UInt16.self)
                // `get_scale_min_k4` inverted: 6-bit scales and minimums back into their 12 bytes.
                var packed = InlineArray<12, UInt8>(repeating: 0)
                for i in 0..<8 {
                    let scale = block.load(fromByteOffset: 32 + 8 * i + r, as: UInt8.self)
                    let minimum = block.load(fromByteOffset: 96 + 16 * (i / 2) + 2 * r + i % 2, as: UInt8.self)
                    if i < 4 {
                        packed[i] |= scale & 63
                        packed[i + 4] |= minimum & 63
                    } else {
                        packed[i + 4] = (scale & 0x0f) | (minimum & 0x0f) << 4
                        packed[i - 4] |= (scale >> 4) << 6
                        packed[i] |= (minimum >> 4) << 6
                    }
                }
                for j in 0..<12 { out.storeBytes(of: packed[j], toByteOffset: 4 + j, as: UInt8.self) }
                for p in 0..<4 {
                    for k in 0..<8 {
                        out.storeBytes(of: block.loadUnaligned(fromByteOffset: 160 + 256 * p + 32 * k + 4 * r, as: UInt32.self),
                                       toByteOffset: 16 + 32 * p + 4 * k, as: UInt32.self)
                    }
                }
            }
        default:
            preconditionFailure("no interleaved layout for \(type.name)")
        }
    }

    // MARK: - Q6_K places

    /// Weight n (0–255) of the Q6_K super-block at `block` (the file's layout, ggml's `block_q6_K`): q, 0…63.
    /// Weights 128h + 32j + l (h < 2, j < 4, l < 32) keep their low 4 bits in ql[64h + 32 (j % 2) + l] (the low
    /// nibble for j < 2, the high one after) and their top 2 bits at bits 2j of qh[32h + l].
    static func q6_KQuant(_ block: UnsafeRawPointer, _ n: Int) -> UInt8 {
        let half = n / 128, j = n % 128 / 32, l = n % 32
        let low = block.load(fromByteOffset: 64 * half + 32 * (j % 2) + l, as: UInt8.self) >> (j >= 2 ? 4 : 0) & 0x0f
        let high = block.load(fromByteOffset: 128 + 32 * half + l, as: UInt8.self) >> (2 * j) & 3
        return low | high << 4
    }

    /// The 256 q (0…63) of the Q6_K super-block at `block`, in weight order: `q6_KQuant` for every n, a
    /// 32-weight column of ql and qh at a time (as ggml's `dequantize_row_q6_K`).
    static func q6_KQuants(_ block: UnsafeRawPointer) -> InlineArray<256, UInt8> {
        var q = InlineArray<256, UInt8>(repeating: 0)
        for half in 0..<2 {
            for l in 0..<32 {
                let low0 = block.load(fromByteOffset: 64 * half + l, as: UInt8.self)
                let low1 = block.load(fromByteOffset: 64 * half + 32 + l, as: UInt8.self)
                let high = block.load(fromByteOffset: 128 + 32 * half + l, as: UInt8.self)
                q[128 * half + l] = low0 & 0x0f | (high & 3) << 4
                q[128 * half + 32 + l] = low1 & 0x0f | (high >> 2 & 3) << 4
                q[128 * half + 64 + l] = low0 >> 4 | (high >> 4 & 3) << 4
                q[128 * half + 96 + l] = low1 >> 4 | (high >> 6) << 4
            }
        }
        return q
    }

    /// Where weight n (0–255) of row r lies in an interleaved Q6_K super-block: the byte and bit shift of its
    /// low 4 bits, and of its top 2 bits.
    static func q6_KPlace(_ n: Int, row r: Int) -> (low: Int, lowShift: UInt8, high: Int, highShift: UInt8) {
        let step = n / 4, byte = 4 * r + n % 4, i = step / 4, t = step % 4
        let base = 144 + 96 * i
        return (base + 32 * (t % 2) + byte, t >= 2 ? 4 : 0, base + 64 + byte, UInt8(2 * t))
    }
}
