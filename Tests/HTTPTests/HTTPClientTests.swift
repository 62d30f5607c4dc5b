import Foundation
import HTTP
import TestSupport
import XCTest

/// HTTPClient against the loopback server: real sockets on 127.0.0.1, real libcurl.
final class HTTPClientTests: XCTestCase {
    private var server: LoopbackChatServer!

    override func setUpWithError() throws {
        server = try LoopbackChatServer.start()
    }

    override func tearDown() {
        server.stop()
    }

    private var endpoint: URL { server.baseURL.appendingPathComponent("chat/completions") }

    private func post(_ body: String = #"{"model":"m"}"#, headers: HTTPHeaders = [:], timeout: Duration? = nil) -> HTTPRequest {
        HTTPRequest(method: .post, url: endpoint, headers: headers, body: Data(body.utf8), timeout: timeout)
    }

    // MARK: - Exchanges

    func testPostSendsBodyAndHeadersAndReturnsTheResponse() async throws {
        let client = HTTPClient()
        server.enqueue(.raw(status: 201, headers: ["X-Trace": "abc"], body: "hello"))
        let response = try await client.send(post(#"{"model":"judge"}"#, headers: ["X-Custom": "42", "Content-Type": "application/json"]))

        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.text, "hello")
        XCTAssertEqual(response.headers["x-trace"], "abc")
        XCTAssertEqual(response.httpVersion, "1.1")
        let recorded = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(recorded.method, "POST")
        XCTAssertEqual(recorded.path, "/v1/chat/completions")
        XCTAssertEqual(recorded.bodyText, #"{"model":"judge"}"#)
        XCTAssertEqual(recorded.header("X-Custom"), "42")
        XCTAssertNil(recorded.header("Expect"), "no 100-continue round trip")
    }

    func testErrorStatusesAreResponsesNotErrors() async throws {
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(method: .get, url: server.baseURL.appendingPathComponent("models")))
        XCTAssertEqual(response.status, 404)
        XCTAssertTrue(response.text.contains("Unknown request URL"), response.text)
        XCTAssertTrue(server.requests.isEmpty, "only chat-completions requests are recorded")
    }

    func testSequentialRequestsReuseOneConnection() async throws {
        let client = HTTPClient()
        for _ in 0..<5 { _ = try await client.send(post()) }
        XCTAssertEqual(server.requests.count, 5)
        XCTAssertEqual(Set(server.requests.map(\.connection)).count, 1)
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testClientsCanBeCreatedAndReleasedRepeatedly() async throws {
        for _ in 0..<40 {
            let client = HTTPClient()
            let response = try await client.send(post())
            XCTAssertEqual(response.status, 200)
        }
        for _ in 0..<40 { _ = HTTPClient() }  // released without ever sending
        XCTAssertEqual(server.requests.count, 40)
    }

    // MARK: - Concurrency

    func testManyRequestsInFlightStayWithinTheBound() async throws {
        let client = HTTPClient(configuration: .init(maxConcurrentTransfers: 4))
        server.responder = { _ in .delayed(.milliseconds(100), then: .reply("ok")) }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try await client.send(self.post()).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 16))
        XCTAssertEqual(server.requests.count, 16)
        XCTAssertLessThanOrEqual(server.peakInFlight, 4)
        XCTAssertLessThanOrEqual(server.connectionCount, 4, "connections are reused across the queued transfers")
    }

    // MARK: - Failures

    func testSlowReplyTimesOut() async throws {
        let client = HTTPClient()
        server.enqueue(.delayed(.seconds(2), then: .reply("late")))
        do {
            _ = try await client.send(post(timeout: .milliseconds(300)))
            XCTFail("expected a timeout")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .timedOut, error.description)
            XCTAssertTrue(error.isTransient)
        }
    }

    func testDroppedConnectionIsReported() async throws {
        let client = HTTPClient()
        server.enqueue(.dropConnection)
        do {
            _ = try await client.send(post())
            XCTFail("expected a dropped connection")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .connectionDropped, error.description)
        }
    }

    func testConnectionClosedMidResponseIsReported() async throws {
        let client = HTTPClient()
        server.enqueue(.closeMidResponse(.init(content: "[[A]]"), bytes: 20))
        do {
            _ = try await client.send(post())
            XCTFail("expected a truncated transfer")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .connectionDropped, error.description)
        }
        // The client recovers on a fresh connection.
        let response = try await client.send(post())
        XCTAssertEqual(response.status, 200)
    }

    func testRefusedConnectionIsReported() async throws {
        let closed = try LoopbackChatServer.start()
        let url = closed.baseURL.appendingPathComponent("chat/completions")
        closed.stop()
        do {
            _ = try await HTTPClient().send(HTTPRequest(method: .post, url: url, body: Data("{}".utf8)))
            XCTFail("expected a refused connection")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .connectionFailed, error.description)
        }
    }

    func testUnsupportedSchemeIsAnInvalidRequest() async throws {
        do {
            _ = try await HTTPClient().send(HTTPRequest(url: URL(string: "nosuchscheme://host/x")!))
            XCTFail("expected an invalid request")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .invalidRequest, error.description)
            XCTAssertFalse(error.isTransient)
        }
    }

    func testOnlyHTTPAndHTTPSAreSpoken() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("judge-http-\(UUID().uuidString)")
        try Data("secret".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            let response = try await HTTPClient().send(HTTPRequest(url: file))
            XCTFail("read a local file: \(response.text)")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .invalidRequest, error.description)
        }
    }

    func testTLSToAPlainServerFailsAsTLS() async throws {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        components.scheme = "https"
        do {
            _ = try await HTTPClient().send(HTTPRequest(method: .post, url: components.url!, body: Data("{}".utf8)))
            XCTFail("expected a TLS failure")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .tls, error.description)
            XCTAssertFalse(error.isTransient)
        }
    }

    func testOversizedResponseIsRefused() async throws {
        let client = HTTPClient(configuration: .init(maxResponseBytes: 100))
        server.enqueue(.raw(status: 200, body: String(repeating: "x", count: 1000)))
        do {
            _ = try await client.send(post())
            XCTFail("expected the size limit")
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .invalidRequest, error.description)
        }
    }

    // MARK: - Cancellation

    func testCancellingTheTaskRemovesTheTransfer() async throws {
        let client = HTTPClient()
        server.enqueue(.delayed(.seconds(5), then: .reply("too late")))
        let task = Task { try await client.send(self.post()) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        // The loop keeps serving after a cancellation.
        let after = try await client.send(post())
        XCTAssertEqual(after.status, 200)
    }

    func testAlreadyCancelledTaskSendsNothing() async throws {
        let client = HTTPClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(self.post())
        }
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testCancellingQueuedTransfersLeavesTheOthersRunning() async throws {
        let client = HTTPClient(configuration: .init(maxConcurrentTransfers: 1))
        server.enqueue(.delayed(.milliseconds(300), then: .reply("first")))
        let first = Task { try await client.send(self.post()) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let queued = Task { try await client.send(self.post()) }
        queued.cancel()
        do {
            _ = try await queued.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        let firstResponse = try await first.value
        XCTAssertEqual(firstResponse.status, 200)
        XCTAssertEqual(server.requests.count, 1)
    }
}
