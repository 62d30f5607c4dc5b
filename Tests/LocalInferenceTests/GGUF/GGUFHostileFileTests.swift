import XCTest
@testable import LocalInference

/// Truncated, corrupted and hostile files each give the right `GGUFError`, never a crash or a huge allocation.
final class GGUFHostileFileTests: XCTestCase {
    // MARK: - Building raw images

    private struct Image {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        mutating func u64(_ v: UInt64) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
        static func header(version: UInt32 = 3, tensors: UInt64 = 0, kvs: UInt64 = 0) -> Image {
            var image = Image()
            image.bytes = Array("GGUF".utf8)
            image.u32(version); image.u64(tensors); image.u64(kvs)
            return image
        }
    }

    private func assertError(_ bytes: [UInt8], _ check: (GGUFError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try GGUFFile(bytes: bytes)
            XCTFail("expected an error", file: file, line: line)
        } catch let error as GGUFError {
            XCTAssertTrue(check(error), "unexpected error: \(error)", file: file, line: line)
            XCTAssertFalse(error.description.isEmpty)
        } catch {
            XCTFail("not a GGUFError: \(error)", file: file, line: line)
        }
    }

    private func validImage() throws -> [UInt8] {
        var writer = GGUFWriter()
        writer.setMetadata("general.architecture", .string("llama"))
        writer.setMetadata("list", .array([.array([.uint16(1)]), .array([])]))
        writer.setMetadata("tokens", .array([.string("a"), .string("bc")]))
        try writer.addTensor(name: "w", dimensions: [32, 2], type: .q4_0, data: [UInt8](repeating: 0x11, count: 36))
        try writer.addTensor(name: "v", dimensions: [3], floats: [1, 2, 3])
        return try writer.serialized()
    }

    // MARK: - Header

    func testEmptyFileIsTruncated() {
        assertError([]) { if case .truncated(what: "the magic number", offset: 0) = $0 { return true }; return false }
    }

    func testBadMagic() {
        var image = Image.header()
        image.bytes[0] = UInt8(ascii: "X")
        assertError(image.bytes) { if case .badMagic = $0 { return $0.description.contains("XGUF") }; return false }
    }

    func testUnsupportedVersions() {
        for version: UInt32 in [1, 4, 0x0300_0000] {
            assertError(Image.header(version: version).bytes) { $0 == .unsupportedVersion(version) }
        }
        XCTAssertTrue(GGUFError.unsupportedVersion(0x0300_0000).description.contains("big-endian"))
    }

    func testHugeCountsAreRejectedBeforeAllocating() {
        assertError(Image.header(kvs: UInt64.max).bytes) {
            if case .countTooLarge(what: "the metadata count", count: UInt64.max, _) = $0 { return true }; return false
        }
        assertError(Image.header(tensors: 1 << 40).bytes) {
            if case .countTooLarge(what: "the tensor count", _, _) = $0 { return true }; return false
        }
        var longString = Image.header(kvs: 1)
        longString.u64(1 << 62)
        assertError(longString.bytes) { if case .countTooLarge = $0 { return true }; return false }

        var hugeArray = Image.header(kvs: 1)
        hugeArray.string("a"); hugeArray.u32(GGUFValueType.array.rawValue)
        hugeArray.u32(GGUFValueType.uint32.rawValue); hugeArray.u64(1 << 60)
        assertError(hugeArray.bytes) {
            if case .countTooLarge(what: "the element count of a", _, _) = $0 { return true }; return false
        }
    }

    // MARK: - Metadata

    func testUnknownValueTypeDuplicateKeyAndBadBool() {
        var unknown = Image.header(kvs: 1)
        unknown.string("k"); unknown.u32(13); unknown.u32(0)
        assertError(unknown.bytes) { $0 == .unknownValueType(key: "k", rawType: 13) }

        var duplicate = Image.header(kvs: 2)
        for _ in 0..<2 { duplicate.string("k"); duplicate.u32(GGUFValueType.uint32.rawValue); duplicate.u32(1) }
        assertError(duplicate.bytes) { $0 == .duplicateKey("k") }

        var badBool = Image.header(kvs: 1)
        badBool.string("b"); badBool.u32(GGUFValueType.bool.rawValue); badBool.bytes.append(7)
        badBool.bytes += [UInt8](repeating: 0, count: 8)
        assertError(badBool.bytes) { if case .invalidValue(key: "b", _) = $0 { return true }; return false }
    }

    func testDeepNestingIsRejected() {
        var image = Image.header(kvs: 1)
        image.string("deep"); image.u32(GGUFValueType.array.rawValue)
        for _ in 0..<20 { image.u32(GGUFValueType.array.rawValue); image.u64(1) }
        image.bytes += [UInt8](repeating: 0, count: 64)
        assertError(image.bytes) { $0 == .nestingTooDeep(key: "deep", limit: GGUFParser.maxNesting) }
    }

    func testBadAlignment() {
        for (value, type) in [(UInt32(0), GGUFValueType.uint32), (3, .uint32), (32, .int32)] {
            var image = Image.header(kvs: 1)
            image.string("general.alignment"); image.u32(type.rawValue); image.u32(value)
            assertError(image.bytes) { if case .badAlignment = $0 { return true }; return false }
        }
    }

    // MARK: - Tensor infos

    private func tensorImage(dims: [UInt64], type: UInt32, offset: UInt64, dataBytes: Int) -> [UInt8] {
        var image = Image.header(tensors: 1)
        image.string("t"); image.u32(UInt32(dims.count))
        for d in dims { image.u64(d) }
        image.u32(type); image.u64(offset)
        image.bytes += [UInt8](repeating: 0, count: (32 - image.bytes.count % 32) % 32 + dataBytes)
        return image.bytes
    }

    func testTensorChecks() {
        // Offset past the end of the data.
        assertError(tensorImage(dims: [4], type: 0, offset: 1 << 40, dataBytes: 16)) {
            if case .badTensorOffset(tensor: "t", _) = $0 { return true }; return false
        }
        // Data running past the end (truncated file).
        assertError(tensorImage(dims: [8], type: 0, offset: 0, dataBytes: 16)) {
            if case .badTensorOffset(tensor: "t", let reason) = $0 { return reason.contains("truncated") }; return false
        }
        // Misaligned offset.
        assertError(tensorImage(dims: [1], type: 0, offset: 4, dataBytes: 64)) {
            if case .badTensorOffset(tensor: "t", let reason) = $0 { return reason.contains("alignment") }; return false
        }
        // Too many dimensions, huge dimensions, overflowing element counts.
        assertError(tensorImage(dims: [1, 1, 1, 1, 1], type: 0, offset: 0, dataBytes: 4)) {
            if case .badTensorShape(tensor: "t", _) = $0 { return true }; return false
        }
        assertError(tensorImage(dims: [1 << 40], type: 0, offset: 0, dataBytes: 4)) {
            if case .badTensorShape(tensor: "t", _) = $0 { return true }; return false
        }
        assertError(tensorImage(dims: [1 << 30, 1 << 30, 1 << 30], type: 0, offset: 0, dataBytes: 4)) {
            if case .badTensorShape(tensor: "t", _) = $0 { return true }; return false
        }
        // Unknown type; a row that is not whole blocks.
        assertError(tensorImage(dims: [32], type: 99, offset: 0, dataBytes: 64)) { $0 == .unknownTensorType(tensor: "t", rawType: 99) }
        assertError(tensorImage(dims: [33], type: GGMLType.q4_0.rawValue, offset: 0, dataBytes: 64)) {
            if case .badTensorShape(tensor: "t", let reason) = $0 { return reason.contains("block size 32") }; return false
        }
    }

    // MARK: - Truncation and corruption everywhere

    /// Every prefix of a valid file is an error (never a crash), and only the whole file parses.
    func testEveryTruncationIsAnError() throws {
        let image = try validImage()
        XCTAssertNoThrow(try GGUFFile(bytes: image))
        for length in 0..<image.count {
            do {
                _ = try GGUFFile(bytes: Array(image[..<length]))
                // Trailing padding after the last tensor may be cut without losing data.
                let file = try GGUFFile(bytes: image)
                let end = file.tensors.map { file.dataOffset + $0.offset + $0.byteCount }.max() ?? 0
                XCTAssertGreaterThanOrEqual(length, end, "prefix of \(length) bytes parsed")
            } catch {
                XCTAssertTrue(error is GGUFError, "\(error)")
            }
        }
    }

    /// Random byte corruption (fixed seed) either parses into an in-bounds file or gives a GGUFError.
    func testRandomCorruptionNeverEscapesTheChecks() throws {
        let image = try validImage()
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            var corrupted = image
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(corrupted.count))
                corrupted[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let file = try GGUFFile(bytes: corrupted)
                for t in file.tensors {
                    XCTAssertLessThanOrEqual(file.dataOffset + t.offset + t.byteCount, corrupted.count)
                    _ = file.data(for: t)
                }
            } catch {
                XCTAssertTrue(error is GGUFError, "\(error)")
            }
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try GGUFFile(url: URL(fileURLWithPath: "/nonexistent/model.gguf"))) { error in
            guard case .cannotOpen(path: "/nonexistent/model.gguf", _)? = error as? GGUFError else { return XCTFail("\(error)") }
        }
    }
}
