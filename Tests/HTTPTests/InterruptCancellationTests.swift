import Foundation
import HTTP
import TestSupport
import XCTest

final class InterruptCancellationTests: XCTestCase {
    func testInterruptCancelsTheTransfersInFlight() async throws {
        let server = try LoopbackChatServer.start()
        defer { server.stop() }
        server.enqueue(.delayed(.seconds(5), then: .reply("too late")))
        let client = HTTPClient()
        let url = server.baseURL.appendingPathComponent("chat/completions")
        let interrupter = Task {
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            kill(getpid(), SIGINT)
        }
        do {
            _ = try await withCancellationOnInterrupt(notice: "test: interrupted") {
                try await client.send(HTTPRequest(method: .post, url: url, body: Data("{}".utf8)))
            }
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        try await interrupter.value
    }
}

extension InterruptCancellationTests {
    /// A second scope in one process still catches Ctrl-C. With a libdispatch signal source per scope it did not:
    /// after the first scope, SIGINT was lost (the release run failed this way whenever `ComparePipelineTests` ran
    /// first).
    func testASecondScopeStillCatchesTheInterrupt() async throws {
        let first = try await withCancellationOnInterrupt(notice: "test: first scope") { 1 }
        XCTAssertEqual(first, 1)
        try await testInterruptCancelsTheTransfersInFlight()
        try await testInterruptCancelsTheTransfersInFlight()
    }
}
