import XCTest
@testable import JudgeCLI

/// `judge serve`'s refusal to expose a model to the network without an API key.
final class ServeAuthOptionsTests: XCTestCase {
    func testNonLoopbackHostNeedsAKeyOrNoAuth() throws {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).gguf")
        _ = FileManager.default.createFile(atPath: model.path, contents: Data())
        defer { try? FileManager.default.removeItem(at: model) }

        XCTAssertThrowsError(try ServeCommand.parse(["--model", model.path, "--host", "0.0.0.0"])) { error in
            let message = ServeCommand.message(for: error)
            XCTAssertTrue(message.contains("--host 0.0.0.0 is not loopback"), message)
            XCTAssertTrue(message.contains("--no-auth"), message)
        }
        XCTAssertNoThrow(try ServeCommand.parse(["--model", model.path, "--host", "0.0.0.0", "--api-key", "k"]))
        XCTAssertNoThrow(try ServeCommand.parse(["--model", model.path, "--host", "0.0.0.0", "--no-auth"]))
        XCTAssertNoThrow(try ServeCommand.parse(["--model", model.path, "--host", "127.0.0.1"]))
        XCTAssertNoThrow(try ServeCommand.parse(["--model", model.path, "--host", "::1"]))
        XCTAssertThrowsError(try ServeCommand.parse(["--model", model.path, "--api-key", ""]))
    }
}
