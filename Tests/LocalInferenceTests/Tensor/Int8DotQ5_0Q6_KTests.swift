import XCTest
@testable import LocalInference

/// The integer kernels of Q5_0 (`Int8BlockWeights`, decoded to signed bytes q − 16) and Q6_K
/// (`Int8Dot+Q6_K.swift`) against scalar transcriptions of their arithmetic, bit for bit: every product — a
/// lone vector (eight rows at a time, and a range's last rows one at a time), batches of every tile width,
/// split over threads, over two column panels. The weights are decoded here from ggml's block layout, not by
/// the kernels' code. (`Int8DotTests` holds both to the exact fp32 product within the quantization bound.)
final class Int8DotQ5_0Q6_KTests: XCTestCase {
    private let types: [GGMLType] = [.q5_0, .q6_K]

    /// 203 rows (threads take whole eights; the last 11 = 8 + 3) × 2,304 columns (72 blocks: a panel of 64,
    /// then 8; for Q6_K nine super-blocks).
    func testProductsEqualTheScalarReferenceBitForBit() {
        for type in types where Int8Dot.handles(type) {
            let rows = 203, columns = 2304
            var rng = SplitMix64(seed: 31)
            let bytes = SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
            bytes.withUnsafeBytes { raw in
                let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                for batch in [1, 2, 3, 4, 5, 8, 9, 13, 16, 17] {
                    let x = (0..<(batch * columns)).map { i in i % 97 == 0 ? 30 * rng.normal() : rng.normal() }
                    var y = [Float](repeating: .nan, count: batch * rows)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { matrix.multiply(batch: batch, xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
                    }
                    XCTAssertEqual(y, reference(matrix, x, batch: batch), "\(type.name) batch \(batch)")
                }
            }
        }
    }

    /// Extreme blocks: every Q5_0 weight at −16 or 15 and every Q6_K weight at −32 or 31 with scales ±128 and
    /// −127, against activations at ±127: the sums the kernels keep in 16 and 32 bits do not overflow.
    func testExtremeWeightsAndActivations() {
        for type in types where Int8Dot.handles(type) {
            let rows = 16, columns = 512
            var bytes = [UInt8](repeating: 0, count: rows * type.rowBytes(columns))
            for r in 0..<rows {
                for b in 0..<(columns / type.blockSize) {
                    let block = r * type.rowBytes(columns) + b * type.bytesPerBlock
                    let fill: UInt8 = (r + b) % 2 == 0 ? 0xff : 0x00   // all weights at the top, or all at the bottom
                    if type == .q5_0 {
                        for j in 2..<22 { bytes[block + j] = fill }
                        bytes[block] = 0x00; bytes[block + 1] = 0x3c   // d = 1
                    } else {
                        for j in 0..<192 { bytes[block + j] = fill }
                        for i in 0..<16 { bytes[block + 192 + i] = r % 3 == 0 ? 0x80 : r % 3 == 1 ? 0x81 : 0x7f }
                        bytes[block + 208] = 0x00; bytes[block + 209] = 0x3c
                    }
                }
            }
            let x = (0..<columns).map { i in Float(i % 5 == 0 ? -1 : 1) }   // quantized to ±127
            bytes.withUnsafeBytes { raw in
                let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                for batch in [1, 8] {
                    let xs = (0..<batch).flatMap { _ in x }
                    var y = [Float](repeating: .nan, count: batch * rows)
                    xs.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { matrix.multiply(batch: batch, xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
                    }
                    XCTAssertEqual(y, reference(matrix, xs, batch: batch), "\(type.name) batch \(batch)")
                    for r in 0..<rows {   // exact here: x is ±1, each weight an integer multiple of d = 1
                        let w = type.dequantize(raw.baseAddress! + r * matrix.rowBytes, count: columns)
                        XCTAssertEqual(Double(y[r]), zip(w, x).reduce(0.0) { $0 + Double($1.0 * $1.1) }, accuracy: 1e-5 * Double(columns) * 128 * 32)
                    }
                }
            }
        }
    }

    // MARK: - The scalar reference

    /// The kernels' arithmetic, one (row, vector) at a time, in their order. Panels of 64 blocks; the first
    /// stores. Q5_0 per block: acc += float(Σ (q − 16) q_x) · (d · d_x), per panel y (+)= acc. Q6_K per
    /// super-block and 32-bit lane ℓ (bytes 4ℓ ..< 4ℓ + 4 of each of its eight 32-weight steps, sub-block
    /// 2k for ℓ < 4, 2k + 1 beyond): acc_ℓ += (float(Σ scale · (q − 32) q_x) · d) · d_x; per panel
    /// y += treeSum(acc) + 0.
    private func reference(_ matrix: WeightMatrix, _ x: [Float], batch: Int) -> [Float] {
        let type = matrix.type, columns = matrix.columns, blocks = columns / 32
        let storage = UnsafeMutableRawPointer.allocate(byteCount: Q8Activations.storageBytes(batch: batch, columns: columns), alignment: 64)
        defer { storage.deallocate() }
        let a = Q8Activations(storage: storage, batch: batch, columns: columns, blocksPerScale: Int8Dot.blocksPerScale(type))
        x.withUnsafeBufferPointer { a.quantize($0.baseAddress!) }
        let activations = (0..<batch).map { s in (0..<blocks).map { a.block($0, of: s) } }   // (q, d_x, d_x Σ q)
        var y = [Float](repeating: 0, count: batch * matrix.rows)
        for r in 0..<matrix.rows {
            let row = matrix.row(r)
            for s in 0..<batch {
                var first = 0, out: Float = 0
                while first < blocks {
                    let count = min(Int8Dot.panelBlocks, blocks - first)
                    if type == .q5_0 {
                        var acc: Float = 0
                        for b in first..<(first + count) {
                            let block = row + 22 * b, (q, dx, _) = activations[s][b]
                            let w = q5_0Weights(block)
                            let dot = (0..<32).reduce(Int32(0)) { $0 + Int32(w[$1]) * Int32(q[$1]) }
                            acc = acc.addingProduct(Float(dot), half(block) * dx)
                        }
                        out = first == 0 ? acc : out + acc
                    } else {
                        var acc = [Float](repeating: 0, count: 8)
                        for superBlock in (first / 8)..<((first + count) / 8) {
                            let block = row + 210 * superBlock
                            let w = q6_KWeights(block), d = half(block + 208)
                            var lanes = [Int32](repeating: 0, count: 8)
                            for k in 0..<8 {
                                let q = activations[s][8 * superBlock + k].0
                                for lane in 0..<8 {
                                    let scale = Int32(block.load(fromByteOffset: 192 + 2 * k + lane / 4, as: Int8.self))
                                    for j in (4 * lane)..<(4 * lane + 4) { lanes[lane] += scale * Int32(w[32 * k + j]) * Int32(q[j]) }
                                }
                            }
                            let dx = activations[s][8 * superBlock].1
                            for lane in 0..<8 { acc[lane] = acc[lane].addingProduct(Float(lanes[lane]) * d, dx) }
                        }
                        let tree = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
                        out = out + (tree + 0)
                    }
                    first += count
                }
                y[s * matrix.rows + r] = out
            }
        }
        return y
    }

    private func half(_ p: UnsafeRawPointer) -> Float { Float(Float16(bitPattern: p.loadUnaligned(as: UInt16.self))) }

    /// ggml's `block_q5_0`: byte j of qs holds weights j (low nibble) and j + 16 (high); bit j of qh is weight j's fifth.
    private func q5_0Weights(_ block: UnsafeRawPointer) -> [Int] {
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        return (0..<32).map { j in
            let byte = Int(block.load(fromByteOffset: 6 + j % 16, as: UInt8.self))
            let nibble = j < 16 ? byte & 0x0f : byte >> 4
            return (nibble | Int((qh >> UInt32(j)) & 1) << 4) - 16
        }
    }

    /// ggml's `dequantize_row_q6_K` order: weights 128h + l, + 32, + 64, + 96 (l < 32) of half h from ql[64h + l],
    /// ql[64h + 32 + l] (low nibbles), the same bytes' high nibbles, and bit pairs 0, 2, 4, 6 of qh[32h + l]; minus 32.
    private func q6_KWeights(_ block: UnsafeRawPointer) -> [Int] {
        var w = [Int](repeating: 0, count: 256)
        for h in 0..<2 {
            for l in 0..<32 {
                let ql0 = Int(block.load(fromByteOffset: 64 * h + l, as: UInt8.self))
                let ql1 = Int(block.load(fromByteOffset: 64 * h + 32 + l, as: UInt8.self))
                let qh = Int(block.load(fromByteOffset: 128 + 32 * h + l, as: UInt8.self))
                w[128 * h + l] = (ql0 & 0x0f | (qh & 3) << 4) - 32
                w[128 * h + 32 + l] = (ql1 & 0x0f | (qh >> 2 & 3) << 4) - 32
                w[128 * h + 64 + l] = (ql0 >> 4 | (qh >> 4 & 3) << 4) - 32
                w[128 * h + 96 + l] = (ql1 >> 4 | (qh >> 6 & 3) << 4) - 32
            }
        }
        return w
    }
}
