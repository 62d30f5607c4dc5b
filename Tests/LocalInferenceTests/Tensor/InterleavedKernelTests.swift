import XCTest
@testable import LocalInference

/// The load-time interleaved layout (`InterleavedLayout`) and its kernels (`Int8Dot+Interleaved8Rows.swift`):
/// repacking loses nothing, and every product — a lone vector and batches of every tile width, split over
/// threads, over several column panels — equals a scalar transcription of the kernels' arithmetic bit for
/// bit. For Q4_0, Q5_0 and Q8_0 that arithmetic is the file layout's (`Int8Dot`), so the file layout's
/// kernels are held to the same reference.
final class InterleavedKernelTests: XCTestCase {
    private let types: [GGMLType] = [.q4_0, .q5_0, .q8_0, .q4_K, .q6_K]

    private func randomMatrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
    }

    func testRepackingKeepsEveryRowsBytes() throws {
        for type in types where InterleavedLayout.supports(type) {
            let rows = 24, columns = 512
            let bytes = randomMatrix(type, rows: rows, columns: columns, seed: 21)
            try bytes.withUnsafeBytes { raw in
                let file = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                let repacked = file.repacked(on: .tests)
                XCTAssertEqual(repacked.layout, .interleaved)
                XCTAssertEqual(try XCTUnwrap(repacked.storage).byteCount, rows / 8 * InterleavedLayout.groupBytes(type, columns: columns))
                var row = [UInt8](repeating: 0, count: file.rowBytes)
                for r in 0..<rows {
                    row.withUnsafeMutableBytes { repacked.fileRow(r, into: $0.baseAddress!) }
                    XCTAssertEqual(row, Array(bytes[(r * file.rowBytes)..<((r + 1) * file.rowBytes)]), "\(type.name) row \(r)")
                    XCTAssertEqual(dequantized(repacked, r), dequantized(file, r))
                }
            }
        }
    }

    /// Rows not a multiple of eight, and types without an interleaved layout, stay as they are.
    func testRepackingLeavesOtherMatricesAlone() {
        for (type, rows) in [(GGMLType.q4_0, 12), (.q8_0, 20), (.q6_K, 12), (.q4_1, 16), (.q5_1, 16)] {
            let bytes = randomMatrix(type, rows: rows, columns: 256, seed: 22)
            bytes.withUnsafeBytes { raw in
                let file = WeightMatrix(name: "w", type: type, rows: rows, columns: 256, data: raw.baseAddress!)
                XCTAssertEqual(file.repacked(on: .tests).layout, .rows, "\(type.name) × \(rows)")
            }
        }
    }

    /// Interleaved and file layouts against the scalar reference, bit for bit (`forEachProduct`).
    func testProductsEqualTheScalarReferenceBitForBit() {
        for type in types where InterleavedLayout.supports(type) {
            forEachProduct(type, seed: 23) { file, repacked, x, batch, want in
                XCTAssertEqual(product(repacked, x, batch: batch), want, "\(type.name) interleaved, batch \(batch)")
                if type == .q6_K {
                    // The same integer sums, added in another order: Q6_K's file layout keeps eight partial
                    // sums a row until the end of each panel.
                    for (got, expected) in zip(product(file, x, batch: batch), want) {
                        XCTAssertEqual(got, expected, accuracy: 1e-4 * max(1, abs(expected)), "Q6_K file layout, batch \(batch)")
                    }
                } else if type != .q4_K {
                    XCTAssertEqual(product(file, x, batch: batch), want, "\(type.name) file layout, batch \(batch)")
                }
            }
        }
    }

    /// The VNNI kernels of Q4_0 and Q4_K (CInt8VNNI) against the same scalar reference, bit for bit: always
    /// with `vpdpbusd` emulated by its definition (the kernels' own code around it), and with the real
    /// instruction where this CPU has AVX-512 VNNI or AVX-VNNI.
    func testVNNIKernelsEqualTheScalarReferenceBitForBit() {
        let kernels = InterleavedKernels.allCases.filter { $0 != .avx2 && $0.runsHere }
        XCTAssertTrue(kernels.contains(.emulatedVNNI))
        for type in [GGMLType.q4_0, .q4_K] where InterleavedLayout.supports(type) {
            forEachProduct(type, seed: 25) { _, repacked, x, batch, want in
                var matrix = repacked
                for k in kernels {
                    matrix.kernels = k
                    XCTAssertEqual(product(matrix, x, batch: batch), want, "\(type.name) \(k.name), batch \(batch)")
                }
            }
        }
    }

    /// The run-time choice agrees with the CPU's flags as Linux reports them (here the CPUID and XGETBV
    /// reading is checked against the kernel's own), and the engine reports and honours it.
    func testTheKernelChoiceFollowsTheCPU() throws {
        guard InterleavedLayout.supports(.q4_0) else { throw XCTSkip("a portable build has no integer kernels") }
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(line.split(separator: " ").map(String.init))
        let avx512VNNI = ["avx512f", "avx512bw", "avx512vl", "avx512_vnni"].allSatisfy(flags.contains)
        let avxVNNI = flags.contains("avx_vnni")
        let expected: InterleavedKernels = avx512VNNI ? .avx512VNNI : avxVNNI ? .avxVNNI : .avx2
        XCTAssertEqual(InterleavedKernels.best, expected)
        // Each form on its own flag: a CPU with AVX-512 VNNI alone (Zen 4) must not be sent AVX-VNNI's code.
        XCTAssertEqual(InterleavedKernels.avx512VNNI.runsHere, avx512VNNI)
        XCTAssertEqual(InterleavedKernels.avxVNNI.runsHere, avxVNNI)
        XCTAssertEqual(EngineConfiguration(vnni: true).interleavedKernels, expected)
        XCTAssertEqual(EngineConfiguration(vnni: false).interleavedKernels, .avx2)
        let report = EngineConfiguration(vnni: true).kernels
        XCTAssertTrue(expected == .avx2 ? report.hasSuffix("no VNNI on this CPU") : report.contains(expected.name), report)
    }

    // MARK: - Helpers

    /// A random `type` matrix of 208 rows (split over threads in whole eights) × 2,304 columns (72 blocks: two
    /// panels), in both layouts, with random activations for a lone vector and batches that fill one to five
    /// tiles of four (one to nine of eight for the AVX-512 VNNI and emulated forms), the last partly (some entries
    /// 30× the others), and the scalar reference's product.
    private func forEachProduct(_ type: GGMLType, seed: UInt64,
                                _ check: (_ file: WeightMatrix, _ repacked: WeightMatrix, _ x: [Float], _ batch: Int, _ want: [Float]) -> Void) {
        let rows = 208, columns = 2304
        let bytes = randomMatrix(type, rows: rows, columns: columns, seed: seed)
        var rng = SplitMix64(seed: seed + 1)
        bytes.withUnsafeBytes { raw in
            let file = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            let repacked = file.repacked(on: .tests)
            XCTAssertEqual(repacked.layout, .interleaved, type.name)
            for batch in [1, 2, 3, 4, 5, 8, 9, 13, 17, 66] {
                let x = (0..<(batch * columns)).map { i in i % 97 == 0 ? 30 * rng.normal() : rng.normal() }
                check(file, repacked, x, batch, reference(file, x, batch: batch))
            }
        }
    }

    private func dequantized(_ matrix: WeightMatrix, _ r: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: matrix.columns) { buffer, count in
            matrix.dequantizeRow(r, into: buffer.baseAddress!)
            count = matrix.columns
        }
    }

    private func product(_ matrix: WeightMatrix, _ x: [Float], batch: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: batch * matrix.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { matrix.multiply(batch: batch, xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
        }
        return y
    }

    /// Weight j of a 32-weight block as the kernels multiply it: Q4_0's nibble unsigned (its offset −8 comes
    /// back through the minimum term), Q5_0's q − 16 and Q8_0's byte signed.
    private func weight(_ type: GGMLType, _ block: UnsafeRawPointer, _ j: Int) -> Int {
        switch type {
        case .q4_0:
            let byte = block.load(fromByteOffset: 2 + j % 16, as: UInt8.self)
            return Int(j < 16 ? byte & 0x0f : byte >> 4)
        case .q5_0:
            let byte = block.load(fromByteOffset: 6 + j % 16, as: UInt8.self)
            let high = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self) >> j & 1
            return (Int(j < 16 ? byte & 0x0f : byte >> 4) | Int(high) << 4) - 16
        default:
            return Int(block.load(fromByteOffset: 2 + j, as: Int8.self))
        }
    }

    /// The kernels' arithmetic, one (row, vector) at a time, in their order (`Int8Dot+Interleaved8Rows.swift`):
    /// Q4_0, Q5_0, Q8_0 per block acc += float(Σ q_w q_x) · (d · d_x), min += d · (d_x Σ q_x), per panel
    /// acc + c · min (c: −8, 0, 0);
    /// Q6_K per super-block acc += float(Σ_i scale_i Σ (q_w − 32) q_x) · (d · d_x), per panel acc;
    /// Q4_K per super-block acc += float(Σ_i scale_i Σ q_w q_x) · (d · d_x),
    /// min += float(Σ_i min_i Σ q_x) · (dmin · d_x), per panel acc − min. Panels of 64 blocks; the first stores.
    private func reference(_ matrix: WeightMatrix, _ x: [Float], batch: Int) -> [Float] {
        let type = matrix.type, columns = matrix.columns, blocks = columns / 32
        let group = Int8Dot.blocksPerScale(type)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: Q8Activations.storageBytes(batch: batch, columns: columns), alignment: 64)
        defer { storage.deallocate() }
        let a = Q8Activations(storage: storage, batch: batch, columns: columns, blocksPerScale: group)
        x.withUnsafeBufferPointer { a.quantize($0.baseAddress!) }
        let activations = (0..<batch).map { s in (0..<blocks).map { a.block($0, of: s) } }   // (q, d_x, d_x Σ q)
        var y = [Float](repeating: 0, count: batch * matrix.rows)
        for r in 0..<matrix.rows {
            let row = matrix.row(r)
            for s in 0..<batch {
                var first = 0
                while first < blocks {
                    let count = min(Int8Dot.panelBlocks, blocks - first)
                    var acc: Float = 0, minimum: Float = 0
                    if type == .q6_K {
                        for superBlock in (first / 8)..<((first + count) / 8) {
                            let block = row + 210 * superBlock
                            let d = Float(Float16(bitPattern: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self)))
                            var total: Int32 = 0
                            for i in 0..<16 {
                                let q = activations[s][8 * superBlock + i / 2].0
                                var dot: Int32 = 0
                                for l in 0..<16 {
                                    dot += (Int32(InterleavedLayout.q6_KQuant(block, 16 * i + l)) - 32) * Int32(q[16 * (i % 2) + l])
                                }
                                total += Int32(block.load(fromByteOffset: 192 + i, as: Int8.self)) * dot
                            }
                            acc = acc.addingProduct(Float(total), d * activations[s][8 * superBlock].1)
                        }
                    } else if type != .q4_K {
                        for b in first..<(first + count) {
                            let block = row + type.bytesPerBlock * b, (q, dx, sx) = activations[s][b]
                            let d = Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self)))
                            var dot: Int32 = 0
                            for j in 0..<32 { dot += Int32(weight(type, block, j)) * Int32(q[j]) }
                            acc = acc.addingProduct(Float(dot), d * dx)
                            minimum = minimum.addingProduct(d, sx)
                        }
                    } else {
                        for superBlock in (first / 8)..<((first + count) / 8) {
                            let block = row + 144 * superBlock
                            let d = Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self)))
                            let dmin = Float(Float16(bitPattern: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
                            var total: Int32 = 0, minimums: Int32 = 0
                            for i in 0..<8 {
                                let (scale, m) = scaleMinK4(i, block + 4)
                                let q = activations[s][8 * superBlock + i].0
                                var dot: Int32 = 0
                                for l in 0..<32 {
                                    let byte = block.load(fromByteOffset: 16 + 32 * (i / 2) + l, as: UInt8.self)
                                    dot += Int32(i % 2 == 0 ? byte & 0x0f : byte >> 4) * Int32(q[l])
                                }
                                total += Int32(scale) * dot
                                minimums += Int32(m) * q.reduce(0) { $0 + Int32($1) }
                            }
                            let dx = activations[s][8 * superBlock].1
                            acc = acc.addingProduct(Float(total), d * dx)
                            minimum = minimum.addingProduct(Float(minimums), dmin * dx)
                        }
                    }
                    let sum: Float
                    switch type {
                    case .q4_0: sum = acc + minimum * -8
                    case .q5_0, .q8_0, .q6_K: sum = acc
                    default: sum = acc - minimum
                    }
                    y[s * matrix.rows + r] = first == 0 ? sum : y[s * matrix.rows + r] + sum
                    first += count
                }
            }
        }
        return y
    }
}
