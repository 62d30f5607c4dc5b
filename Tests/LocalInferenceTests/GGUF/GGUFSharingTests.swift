import Foundation
import TestSupport
import XCTest
@testable import LocalInference

/// H2 and C6 (issue 18): a model file is read into memory once per process while in use, however many
/// times it is opened; a changed file is read again.
final class GGUFSharingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("judge-gguf-sharing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func write(_ name: String, tensorValue: Float) throws -> URL {
        var writer = GGUFWriter()
        writer.setMetadata("general.architecture", .string("llama"))
        try writer.addTensor(name: "t", dimensions: [4], floats: [tensorValue, 2, 3, 4])
        let url = folder.appendingPathComponent(name)
        try Data(writer.serialized()).write(to: url)
        return url
    }

    func testOpeningOneFileManyTimesSharesItsBytesAndItsParse() throws {
        let url = try write("m.gguf", tensorValue: 1)
        let files = try (0..<3000).map { _ in try GGUFFile.shared(url: url) }
        XCTAssertTrue(files.allSatisfy { $0 === files[0] }, "one parse for 3,000 entries naming one file")
        let a = try GGUFFile(url: url), b = try GGUFFile(url: url)
        XCTAssertEqual(a.data(for: a.tensors[0]).baseAddress, b.data(for: b.tensors[0]).baseAddress, "one copy of the bytes")
    }

    func testAChangedFileIsReadAgainAndTheOldCopyStaysIntact() throws {
        let url = try write("m.gguf", tensorValue: 1)
        let before = try GGUFFile.shared(url: url)
        // Rewritten in place with different content (and a later modification time).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: url.path)
        let replacement = try Data(contentsOf: try write("other.gguf", tensorValue: 9))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: replacement)
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: url.path)
        let after = try GGUFFile.shared(url: url)
        XCTAssertFalse(before === after)
        XCTAssertEqual(before.data(for: before.tensors[0]).load(as: Float.self), 1, "the first copy is untouched")
        XCTAssertEqual(after.data(for: after.tensors[0]).load(as: Float.self), 9)
    }

    func testATruncatedFileIsAnErrorNotACrash() throws {
        let url = try write("m.gguf", tensorValue: 1)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let file = try GGUFFile(url: url)
        XCTAssertEqual(truncate(url.path, off_t(size / 2)), 0)
        XCTAssertEqual(file.data(for: file.tensors[0]).load(as: Float.self), 1, "bytes read before the truncation stay readable")
        XCTAssertThrowsError(try GGUFFile(url: url))
    }
}
