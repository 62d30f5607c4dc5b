import Foundation
import XCTest
import OpenAIWire
@testable import Server
#if canImport(Glibc)
import Glibc
#endif

/// C6 (issue 18): a model file truncated or rewritten in place under a running server cannot crash it
/// (it was SIGBUS through the mapping); the server keeps answering from the copy it read.
final class ModelFileChangeTests: XCTestCase {
    func testTruncatingTheModelUnderARunningServerDoesNotCrashIt() async throws {
        let original = try RealModel.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("judge-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = folder.appendingPathComponent("live.gguf")
        try FileManager.default.copyItem(at: original, to: live)

        let test = try await TestServer.start(try LocalEngine(modelURL: live, contextLength: 256))
        defer { Task { await test.stop() } }
        XCTAssertEqual(truncate(live.path, 40_000_000), 0)
        // And rewritten in place with other bytes, as `cp other.gguf live.gguf` does.
        let handle = try FileHandle(forWritingTo: live)
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 1 << 20))
        try handle.close()

        let body: JSONValue = ["messages": [["role": "user", "content": "Hi"]], "max_tokens": 3, "temperature": 0]
        let client = test.client
        for _ in 0..<2 {
            let reply = try await offPool { try client.chat(body) }
            XCTAssertEqual(reply.status, 200, reply.text)
        }
        // A new load of the damaged file is an error, not a crash.
        XCTAssertThrowsError(try LocalEngine(modelURL: live, contextLength: 256))
    }
}
