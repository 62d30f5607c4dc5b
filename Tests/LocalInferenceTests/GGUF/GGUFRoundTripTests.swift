import XCTest
@testable import LocalInference

final class GGUFRoundTripTests: XCTestCase {
    /// Every metadata type, nested arrays, several tensor types and a custom alignment survive write → read.
    func testEveryValueTypeAndTensorRoundTrips() throws {
        var writer = GGUFWriter(alignment: 64)
        let values: [(String, GGUFValue)] = [
            ("t.u8", .uint8(200)), ("t.i8", .int8(-100)), ("t.u16", .uint16(60000)), ("t.i16", .int16(-30000)),
            ("t.u32", .uint32(4_000_000_000)), ("t.i32", .int32(-2_000_000_000)),
            ("t.u64", .uint64(UInt64.max)), ("t.i64", .int64(Int64.min)),
            ("t.f32", .float32(1.5)), ("t.f64", .float64(-2.25)), ("t.bool", .bool(true)),
            ("t.string", .string("héllo <|im_start|> 🎉")),
            ("t.strings", .array([.string("a"), .string(""), .string("ü")])),
            ("t.nested", .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])])),
            ("t.empty", .array([])),
        ]
        for (k, v) in values { writer.setMetadata(k, v) }
        let f32: [Float] = (0..<8).map { Float($0) * 0.5 }
        try writer.addTensor(name: "a", dimensions: [4, 2], floats: f32)
        let q8 = [UInt8](repeating: 7, count: 34 * 2)
        try writer.addTensor(name: "b", dimensions: [64], type: .q8_0, data: q8)
        let file = try GGUFFile(bytes: try writer.serialized())

        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.alignment, 64)
        XCTAssertEqual(file.metadataKeys, values.map(\.0) + ["general.alignment"])
        for (k, v) in values where k != "t.empty" { XCTAssertEqual(file.metadata[k], v, k) }
        XCTAssertEqual(file.metadata["t.empty"], .array([]))
        XCTAssertEqual(file.metadata["t.u64"]?.intValue, nil, "uint64 above Int.max has no Int value")
        XCTAssertEqual(file.metadata["t.u32"]?.intValue, 4_000_000_000)
        XCTAssertEqual(file.metadata["t.strings"]?.stringArray, ["a", "", "ü"])
        XCTAssertEqual(file.metadata["t.f32"]?.floatValue, 1.5)

        XCTAssertEqual(file.tensors.map(\.name), ["a", "b"])
        let a = try XCTUnwrap(file.tensor(named: "a"))
        XCTAssertEqual(a.dimensions, [4, 2])
        XCTAssertEqual(a.rowCount, 2)
        XCTAssertEqual(Array(file.data(for: a).bindMemory(to: Float.self)), f32)
        let b = try XCTUnwrap(file.tensor(named: "b"))
        XCTAssertEqual(b.type, .q8_0)
        XCTAssertEqual(b.offset % 64, 0)
        XCTAssertEqual((file.dataOffset + b.offset) % 64, 0)
        XCTAssertEqual(Array(file.data(for: b)), q8)
        XCTAssertNil(file.tensor(named: "c"))
    }

    /// Version 2 files share the layout of version 3.
    func testReadsVersion2() throws {
        var writer = GGUFWriter(version: 2)
        writer.setMetadata("general.architecture", .string("llama"))
        let file = try GGUFFile(bytes: try writer.serialized())
        XCTAssertEqual(file.version, 2)
        XCTAssertEqual(file.architecture, "llama")
        XCTAssertTrue(file.tensors.isEmpty)
    }

    /// The file on disk is memory-mapped and reads the same as the in-memory image.
    func testMappedFileReadsLikeMemory() throws {
        var writer = GGUFWriter()
        writer.setMetadata("k", .string("v"))
        try writer.addTensor(name: "w", dimensions: [3], floats: [1, 2, 3])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try writer.write(to: url)
        let file = try GGUFFile(url: url)
        XCTAssertEqual(file.metadata["k"]?.stringValue, "v")
        XCTAssertEqual(Array(file.data(for: file.tensors[0]).bindMemory(to: Float.self)), [1, 2, 3])
    }

    func testWriterRejectsMixedArraysAndWrongSizes() throws {
        var writer = GGUFWriter()
        writer.setMetadata("mixed", .array([.int32(1), .string("x")]))
        XCTAssertThrowsError(try writer.serialized()) { error in
            XCTAssertEqual(error as? GGUFError, .unencodable(key: "mixed", reason: "array elements must all be of one type"))
        }
        var w2 = GGUFWriter()
        XCTAssertThrowsError(try w2.addTensor(name: "q", dimensions: [33], type: .q4_0, data: [])) { error in
            guard case .badTensorShape(tensor: "q", _)? = error as? GGUFError else { return XCTFail("\(error)") }
        }
    }
}
