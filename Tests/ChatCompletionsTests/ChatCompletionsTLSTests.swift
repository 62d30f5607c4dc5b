import Foundation
import HTTP
import TestSupport
import XCTest
@testable import ChatCompletions
import OpenAIWire

/// Issue 18, point 5: a judge behind a certificate the client must refuse fails at once as an unusable
/// endpoint; the retry policy never treats it as transient.
final class ChatCompletionsTLSTests: XCTestCase {
    func testAnUntrustedJudgeIsRefusedOnceAndNotRetried() async throws {
        let pki = try TLSTestServer.Certificates.make()
        defer { pki.remove() }
        for identity in [pki.selfSigned, pki.wrongHost] {
            let server = try TLSTestServer.start(.http1_1, identity)
            defer { server.stop() }
            let attempts = Counter()
            let retry = RetryPolicy(maxAttempts: 6, sleep: { _ in attempts.increment() })
            let http = HTTPClient(configuration: .init(caFile: pki.caFile))
            let client = ChatCompletionsClient(baseURL: URL(string: "https://localhost:\(server.port)/v1")!,
                                               apiKeyEnvironmentVariable: nil, http: http, retry: retry)
            do {
                _ = try await client.complete(ChatCompletionRequest(model: "judge", messages: [.user("Hi")]))
                XCTFail("an untrusted certificate was accepted")
            } catch let error as ChatCompletionsError {
                guard case .unusableEndpoint(let detail) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(error.isFatal)
                XCTAssertTrue(detail.lowercased().contains("tls"), detail)
            }
            try await Task.sleep(for: .milliseconds(200))
            XCTAssertEqual(attempts.value, 0, "no backoff: nothing was retried")
            XCTAssertEqual(server.connectionCount, 1, "one connection, one handshake")
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }
}
