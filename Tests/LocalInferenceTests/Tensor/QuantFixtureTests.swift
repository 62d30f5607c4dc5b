import XCTest
@testable import LocalInference

/// The scalar dequantizers and quantizers against values computed by the `gguf` Python package
/// (Fixtures/quant/quant.gguf, written by scripts/reference/quant_fixtures.py).
final class QuantFixtureTests: XCTestCase {
    private func fixture() throws -> GGUFFile {
        try GGUFFile(url: try TestModel.fixture("quant/quant.gguf"))
    }

    func testBlockLayoutsMatchGGML() {
        XCTAssertEqual(MemoryLayout<BlockQ4_0>.size, 18)
        XCTAssertEqual(MemoryLayout<BlockQ4_1>.size, 20)
        XCTAssertEqual(MemoryLayout<BlockQ5_0>.size, 22)
        XCTAssertEqual(MemoryLayout<BlockQ5_1>.size, 24)
        XCTAssertEqual(MemoryLayout<BlockQ8_0>.size, 34)
        XCTAssertEqual(MemoryLayout<BlockQ2_K>.size, 84)
        XCTAssertEqual(MemoryLayout<BlockQ3_K>.size, 110)
        XCTAssertEqual(MemoryLayout<BlockQ4_K>.size, 144)
        XCTAssertEqual(MemoryLayout<BlockQ5_K>.size, 176)
        XCTAssertEqual(MemoryLayout<BlockQ6_K>.size, 210)
        for type in GGMLType.supported where type.blockSize > 1 {
            XCTAssertEqual(type.bytesPerBlock % 2, 0, "\(type): blocks keep fp16 fields 2-byte aligned")
        }
    }

    /// Every supported type dequantizes exactly as gguf-py does (same float operations, so equal up to 1 ulp).
    func testDequantizeMatchesGGUFPy() throws {
        let file = try fixture()
        for type in GGMLType.supported {
            let raw = try XCTUnwrap(file.tensor(named: "dequant.\(type.name).raw"), type.name)
            let expectedInfo = try XCTUnwrap(file.tensor(named: "dequant.\(type.name).expected"))
            XCTAssertEqual(raw.type, type)
            XCTAssertEqual(raw.dimensions, expectedInfo.dimensions)
            let expected = Array(file.data(for: expectedInfo).bindMemory(to: Float.self))
            let data = file.data(for: raw)
            var got: [Float] = []
            for row in 0..<raw.rowCount {
                got += type.dequantize(data.baseAddress! + row * raw.rowBytes, count: raw.rowLength)
            }
            XCTAssertEqual(got.count, expected.count)
            var worst: Float = 0
            for (g, e) in zip(got, expected) {
                worst = max(worst, abs(g - e) / max(1e-6, abs(e)))
            }
            XCTAssertLessThanOrEqual(worst, 1e-6, "\(type.name): worst relative error \(worst)")
            XCTAssertGreaterThan(Set(expected).count, 16, "\(type.name): fixture is not degenerate")
        }
    }

    /// Our quantizers produce the same bytes as gguf-py's (which reproduces ggml's reference quantizers).
    func testQuantizeMatchesGGUFPy() throws {
        let file = try fixture()
        let inputInfo = try XCTUnwrap(file.tensor(named: "quant.input"))
        let input = Array(file.data(for: inputInfo).bindMemory(to: Float.self))
        for type in GGMLType.quantizable where type != .f32 {
            let expected = Array(file.data(for: try XCTUnwrap(file.tensor(named: "quant.\(type.name).expected"))))
            let got = type.quantize(input)
            XCTAssertEqual(got.count, expected.count, type.name)
            let differing = zip(got, expected).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(type.name): \(differing) bytes differ")
        }
    }

    /// Quantize → dequantize stays within each type's step size.
    func testQuantizeRoundTripError() {
        var rng = SplitMix64(seed: 7)
        let x = (0..<1024).map { _ in Float(Int64(bitPattern: rng.next() % 2000) - 1000) / 500 }
        let bounds: [GGMLType: Float] = [.f16: 1e-3, .bf16: 1e-2, .q8_0: 0.02, .q5_0: 0.15, .q5_1: 0.1, .q4_0: 0.3, .q4_1: 0.2]
        for (type, bound) in bounds {
            let q = type.quantize(x)
            let y = q.withUnsafeBytes { type.dequantize($0.baseAddress!, count: x.count) }
            let worst = zip(x, y).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, bound, type.name)
        }
    }
}
