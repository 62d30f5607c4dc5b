import Foundation
import XCTest
@testable import Candidates

final class ModelFingerprintTests: XCTestCase {
    private func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fingerprint-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        return url
    }

    func testRegionsCoverTheHeaderAndEndEvenly() {
        XCTAssertEqual(ModelFingerprint.regions(size: 100).map(\.0), [0])
        XCTAssertEqual(ModelFingerprint.regions(size: 100).map(\.1), [100])
        let size: UInt64 = 64 << 20
        let regions = ModelFingerprint.regions(size: size)
        XCTAssertEqual(regions.count, 1 + ModelFingerprint.sampleCount)
        XCTAssertEqual(regions.last.map { $0.0 + UInt64($0.1) }, size, "the last bytes are not sampled")
        XCTAssertTrue(regions.dropFirst().allSatisfy { $0.1 == ModelFingerprint.sampleBytes && $0.0 >= 1 << 20 })
    }

    func testAChangeInASampledChunkOrTheSizeChangesTheFingerprint() throws {
        var bytes = [UInt8](repeating: 7, count: 3 << 20)
        let original = try file(bytes)
        bytes[bytes.count - 1] = 8   // inside the last sample
        let edited = try file(bytes)
        let longer = try file(bytes + [0])
        defer { for url in [original, edited, longer] { try? FileManager.default.removeItem(at: url) } }
        let a = try ModelFingerprint.of(original)
        XCTAssertTrue(a.hasPrefix("gguf1:"))
        XCTAssertEqual(try ModelFingerprint.of(original), a)
        XCTAssertNotEqual(try ModelFingerprint.of(edited), a)
        XCTAssertNotEqual(try ModelFingerprint.of(longer), try ModelFingerprint.of(edited))
    }

    func testAMissingFileIsAnErrorNamingIt() {
        XCTAssertThrowsError(try ModelFingerprint.of(URL(fileURLWithPath: "/nonexistent/model.gguf"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/model.gguf"), "\(error)")
        }
    }
}
