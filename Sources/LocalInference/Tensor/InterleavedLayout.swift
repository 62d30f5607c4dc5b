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
        return type == .q4_0 || type == .q5_0 || type == .q8_0 || type == .q4_K
        #else
        return false
        #endif
    }

    /// Bytes of one block of eight rows: 144 (Q4_0, 32 columns), 272 (Q5_0 and Q8_0, 32 columns) or 1,184
    /// (Q4_K, 256 columns).
    static func blockBytes(_ type: GGMLType) -> Int {
        switch type {
        case .q4_0: return 144
        case .q5_0, .q8_0: return 272
        case .q4_K: return 1184
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
}
