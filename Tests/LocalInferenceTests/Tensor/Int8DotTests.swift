import XCTest
@testable import LocalInference

/// The 8-bit activation path of decoding: `Q8Activations` (fast quantizer against the scalar reference),
/// and `Int8Dot`'s kernels: within the error that quantizing x allows of the exact fp32 product, and
/// bit-identical for a vector alone or in any batch. (`RowDotTests`/`BatchDotTests` check them against the
/// reference dot of the quantized input.)
final class Int8DotTests: XCTestCase {
    private func blocks(_ rng: inout SplitMix64) -> [[Float]] {
        var out: [[Float]] = [
            [Float](repeating: 0, count: 32),                               // d = 0
            (0..<32).map { Float($0) - 15.5 },
            (0..<32).map { j in j == 7 ? -1e4 : 1e-3 * Float(j) },          // one outlier
            (0..<32).map { j in Float(j % 3) * 127 / 254 },                 // exact halves: ties to even
        ]
        for _ in 0..<200 { out.append((0..<32).map { _ in rng.normal() * Float(rng.next() % 1000) / 100 }) }
        return out
    }

    func testFastQuantizerEqualsTheReference() {
        var rng = SplitMix64(seed: 8)
        for x in blocks(&rng) {
            var fast = [Int8](repeating: 0, count: 32), slow = fast
            let a = x.withUnsafeBufferPointer { Q8Activations.quantizeBlock($0.baseAddress!, into: &fast) }
            let b = x.withUnsafeBufferPointer { Q8Activations.quantizeBlockReference($0.baseAddress!, into: &slow) }
            XCTAssertEqual(fast, slow, "\(x.prefix(4))")
            XCTAssertEqual(a.0, b.0)
            XCTAssertEqual(a.1, b.1)
            XCTAssertEqual(b.1, slow.reduce(0) { $0 + Int32($1) })
            XCTAssertLessThanOrEqual(slow.map { abs(Int($0)) }.max()!, 127)
        }
    }

    /// The batch layout (block-major, padded to eight vectors with zeros) holds each vector's blocks.
    func testBatchLayout() {
        var rng = SplitMix64(seed: 9)
        let batch = 5, columns = 96
        let x = (0..<(batch * columns)).map { _ in rng.normal() }
        let bytes = Q8Activations.storageBytes(batch: batch, columns: columns)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0xAB, count: bytes)
        let a = Q8Activations(storage: storage, batch: batch, columns: columns)
        x.withUnsafeBufferPointer { a.quantize($0.baseAddress!) }
        XCTAssertEqual(a.stride, 8)
        XCTAssertEqual(a.sumStride, 8)
        for b in 0..<3 {
            for s in 0..<8 {
                let (q, d, sum) = a.block(b, of: s)
                guard s < batch else {
                    XCTAssertEqual(q, [Int8](repeating: 0, count: 32)); XCTAssertEqual(d, 0); XCTAssertEqual(sum, 0)
                    continue
                }
                var want = [Int8](repeating: 0, count: 32)
                let (wd, total) = x.withUnsafeBufferPointer {
                    Q8Activations.quantizeBlockReference($0.baseAddress! + s * columns + 32 * b, into: &want)
                }
                XCTAssertEqual(q, want)
                XCTAssertEqual(d, wd)
                XCTAssertEqual(sum, wd * Float(total))
            }
        }
    }

    /// One scale per eight blocks (Q4_K's activations): every block of a group uses the group's max |x|.
    func testGroupedScales() {
        var rng = SplitMix64(seed: 13)
        let batch = 2, columns = 512
        let x = (0..<(batch * columns)).map { i in i % 77 == 0 ? 40 * rng.normal() : rng.normal() }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: Q8Activations.storageBytes(batch: batch, columns: columns),
                                                       alignment: 64)
        defer { storage.deallocate() }
        let a = Q8Activations(storage: storage, batch: batch, columns: columns, blocksPerScale: 8)
        x.withUnsafeBufferPointer { a.quantize($0.baseAddress!) }
        for s in 0..<batch {
            let want = ReferenceLlama.quantizedActivations(Array(x[(s * columns)..<((s + 1) * columns)]), blocksPerScale: 8)
            for b in 0..<(columns / 32) {
                let (q, d, sum) = a.block(b, of: s)
                let amax = x[(s * columns + b / 8 * 256)..<(s * columns + b / 8 * 256 + 256)].map(abs).max()!
                XCTAssertEqual(d, amax / 127)
                XCTAssertEqual(q.map { d * Float($0) }, Array(want[(32 * b)..<(32 * b + 32)]))
                XCTAssertEqual(sum, d * Float(q.reduce(0) { $0 + Int32($1) }))
            }
        }
    }

    /// The whole-word unpacking of Q4_K's 6-bit scales equals `scaleMinK4` on random bytes.
    func testQ4_KScaleUnpacking() {
        var rng = SplitMix64(seed: 14)
        for _ in 0..<500 {
            let bytes = (0..<12).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes.withUnsafeBytes { raw in
                let (scales, minimums) = Int8Dot.unpackQ4_KScales(raw.baseAddress!)
                for j in 0..<8 {
                    let (scale, minimum) = scaleMinK4(j, raw.baseAddress!)
                    XCTAssertEqual(UInt8(truncatingIfNeeded: scales >> UInt64(8 * j)), scale)
                    XCTAssertEqual(UInt8(truncatingIfNeeded: minimums >> UInt64(8 * j)), minimum)
                }
            }
        }
    }

    private let types: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q6_K]

    /// |y − w·x| ≤ Σ_blocks (d_x / 2) Σ|w| (each x_j moves by at most half a step) + fp32 rounding;
    /// d_x from the max |x| of the block, or of its super-block for Q4_K.
    func testErrorWithinTheQuantizationBound() {
        var rng = SplitMix64(seed: 10)
        for type in types where Int8Dot.handles(type) {
            for columns in [512, 2304] {
                let rows = 13
                let bytes = SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
                let x = (0..<columns).map { i in i % 61 == 0 ? 25 * rng.normal() : rng.normal() }
                var y = [Float](repeating: .nan, count: rows)
                bytes.withUnsafeBytes { raw in
                    let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { matrix.multiply(xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
                    }
                    for r in 0..<rows {
                        let w = type.dequantize(raw.baseAddress! + r * type.rowBytes(columns), count: columns)
                        var exact = 0.0, magnitude = 0.0, bound = 0.0
                        let group = 32 * Int8Dot.blocksPerScale(type)   // weights per activation scale
                        for b in 0..<(columns / 32) {
                            let block = (32 * b)..<(32 * b + 32)
                            let first = 32 * b / group * group
                            let step = Double((first..<(first + group)).map { abs(x[$0]) }.max()!) / 127
                            for j in block {
                                exact += Double(w[j]) * Double(x[j])
                                magnitude += abs(Double(w[j]) * Double(x[j]))
                                bound += step / 2 * abs(Double(w[j]))
                            }
                        }
                        let error = abs(Double(y[r]) - exact)
                        XCTAssertLessThanOrEqual(error, 1.001 * bound + 1e-5 * magnitude, "\(type.name) \(columns) row \(r)")
                        XCTAssertGreaterThan(error, 0, "the 8-bit path is in use")
                    }
                }
            }
        }
    }

    /// Each vector's result is bit-identical alone or at any place in any batch: the batch kernels (one or two
    /// groups of eight vectors, padded), the lone vector's eight rows at a time and its last rows one at a
    /// time (21 rows: 16 + 5; 203 rows: split over threads in ranges of whole eights, the last 11 = 8 + 3),
    /// over two column panels (2304 columns: 72 blocks).
    func testBatchedEqualsAloneBitForBit() {
        var rng = SplitMix64(seed: 12)
        for type in types where Int8Dot.handles(type) {
          for rows in [21, 203] {
            let columns = 2304
            let bytes = SyntheticLlama.randomTensor(type: type, count: rows * columns, scale: 1, rng: &rng)
            bytes.withUnsafeBytes { raw in
                let matrix = WeightMatrix(name: "w", type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                for batch in [2, 3, 5, 8, 9, 13, 17] {
                    let x = (0..<(batch * columns)).map { _ in rng.normal() }
                    var y = [Float](repeating: .nan, count: batch * rows)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { matrix.multiply(batch: batch, xp.baseAddress!, into: $0.baseAddress!, on: .tests) }
                    }
                    for s in 0..<batch {
                        var alone = [Float](repeating: .nan, count: rows)
                        x.withUnsafeBufferPointer { xp in
                            alone.withUnsafeMutableBufferPointer { matrix.multiply(xp.baseAddress! + s * columns, into: $0.baseAddress!, on: .tests) }
                        }
                        XCTAssertEqual(Array(y[(s * rows)..<((s + 1) * rows)]), alone, "\(type.name) batch \(batch) vector \(s)")
                    }
                }
            }
          }
        }
    }
}
