import Foundation
import HTTP
import OpenAIWire
import XCTest
@testable import ChatCompletions
import TestSupport

/// Several endpoints as one (`urls:`): spread by fewest in flight, a failing endpoint taken out and probed.
final class EndpointPoolTests: XCTestCase {
    private let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 16))

    /// Echoes the request's message, so each reply can be matched to its call.
    private static func echo(_ request: RecordedRequest) -> String {
        let messages = request.jsonObject?["messages"] as? [[String: Any]]
        return "echo " + ((messages?.last?["content"] as? String) ?? "?")
    }

    private func request(_ number: Int) -> ChatCompletionRequest {
        ChatCompletionRequest(model: "judge-1", messages: [.user("call-\(number)")])
    }

    // MARK: - One of three dies mid-run

    func testOneOfThreeDiesMidRunNothingLostNothingSentTwice() async throws {
        let answered = AnsweredLog()
        let slow: @Sendable (RecordedRequest) -> LoopbackChatServer.Behavior = { request in
            answered.add(Self.echo(request))
            return .delayed(.milliseconds(20), then: .reply(Self.echo(request)))
        }
        let first = try LoopbackChatServer.start(responder: slow)
        let third = try LoopbackChatServer.start(responder: slow)
        // The second answers its first 8 calls, then drops every connection: dead mid-run, its 9th call in flight.
        let dying = DyingServer(answerBeforeDeath: 8)
        let second = try LoopbackChatServer.start { request in
            guard dying.admit() else { return .dropConnection }
            answered.add(Self.echo(request))
            return .delayed(.milliseconds(20), then: .reply(Self.echo(request)))
        }
        defer { [first, second, third].forEach { $0.stop() } }

        let pool = EndpointPool(endpoints: EndpointPool.clients(urls: [first.baseURL, second.baseURL, third.baseURL],
                                                                apiKeyEnvironmentVariable: nil, http: http),
                                probeInterval: .milliseconds(100))
        let calls = 90
        let replies = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var replies: [Int: String] = [:]
            var next = 0
            func schedule() {
                guard next < calls else { return }
                let number = next
                next += 1
                group.addTask { (number, try await pool.complete(self.request(number)).content) }
            }
            for _ in 0..<6 { schedule() }
            while let (number, content) = try await group.next() {
                replies[number] = content
                if number == 30 { second.stop() }  // and now it is gone for good
                schedule()
            }
            return replies
        }

        // Nothing lost: every call got its own reply.
        XCTAssertEqual(replies.count, calls)
        for number in 0..<calls { XCTAssertEqual(replies[number], "echo call-\(number)") }
        // Nothing sent twice: every call was answered by exactly one endpoint (a call the dying endpoint
        // dropped was answered elsewhere, once).
        let counts = answered.counts
        XCTAssertEqual(counts.count, calls)
        XCTAssertTrue(counts.values.allSatisfy { $0 == 1 }, "answered more than once: \(counts.filter { $0.value > 1 })")

        let perEndpoint = pool.counts
        XCTAssertEqual(perEndpoint.map(\.answered).reduce(0, +), calls)
        XCTAssertEqual(perEndpoint[1].answered, 8)
        XCTAssertGreaterThanOrEqual(perEndpoint[1].failed, 1)
        XCTAssertEqual(perEndpoint[0].failed + perEndpoint[2].failed, 0)
        // Spread by fewest in flight: the two live endpoints shared the rest about evenly.
        XCTAssertGreaterThan(min(perEndpoint[0].answered, perEndpoint[2].answered), 25)
        let summary = EndpointPool.describe(perEndpoint, role: "judge")
        XCTAssertTrue(summary.contains("judge endpoint \(second.baseURL.absoluteString): \(perEndpoint[1].sent) sent, 8 answered"), summary)
    }

    // MARK: - Taken out, probed, back

    func testFailingEndpointIsTakenOutThenProbedBackIn() async throws {
        let healthy = try LoopbackChatServer.start { .reply(Self.echo($0)) }
        let flaky = FlakyBehaviour()
        let ill = try LoopbackChatServer.start { request in
            flaky.isDown ? .error(503, message: "overloaded") : .reply(Self.echo(request))
        }
        defer { [healthy, ill].forEach { $0.stop() } }
        let pool = EndpointPool(endpoints: EndpointPool.clients(urls: [ill.baseURL, healthy.baseURL],
                                                                apiKeyEnvironmentVariable: nil, http: http),
                                probeInterval: .milliseconds(200))
        flaky.isDown = true
        for number in 0..<10 {
            let reply = try await pool.complete(request(number))
            XCTAssertEqual(reply.content, "echo call-\(number)")
        }
        // The first call found it failing; the rest went to the healthy endpoint while it was out.
        XCTAssertEqual(ill.requests.count, 1)
        XCTAssertEqual(pool.counts[0].failed, 1)

        flaky.isDown = false
        try await Task.sleep(for: .milliseconds(300))
        for number in 10..<20 { _ = try await pool.complete(request(number)) }
        XCTAssertGreaterThanOrEqual(pool.counts[0].answered, 4, "probed and back in: \(pool.counts)")
    }

    // MARK: - The request's fault is not the endpoint's

    func testRejectedRequestIsNotFailedOver() async throws {
        let one = try LoopbackChatServer.start { _ in .error(400, message: "bad request") }
        let two = try LoopbackChatServer.start { _ in .error(400, message: "bad request") }
        defer { [one, two].forEach { $0.stop() } }
        let pool = EndpointPool(endpoints: EndpointPool.clients(urls: [one.baseURL, two.baseURL], apiKeyEnvironmentVariable: nil, http: http))
        do {
            _ = try await pool.complete(request(0))
            XCTFail("a 400 must be thrown")
        } catch let error as ChatCompletionsError {
            guard case .rejected(400, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(one.requests.count + two.requests.count, 1, "sent once, not failed over")
        XCTAssertEqual(pool.counts.map(\.failed), [0, 0])
    }

    func testEveryEndpointDownFailsAfterItsAttempts() async throws {
        let one = try LoopbackChatServer.start { _ in .dropConnection }
        defer { one.stop() }
        let pool = EndpointPool(endpoints: EndpointPool.clients(urls: [one.baseURL, URL(string: "http://127.0.0.1:1/v1")!],
                                                                apiKeyEnvironmentVariable: nil, http: http),
                                probeInterval: .milliseconds(20), maxAttempts: 4)
        do {
            _ = try await pool.complete(request(0))
            XCTFail("no endpoint answers")
        } catch let error as ChatCompletionsError {
            guard case .retriesExhausted(let last) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(last.contains("4 attempts over 2 endpoints"), last)
        }
        XCTAssertEqual(pool.counts.map(\.sent).reduce(0, +), 4)
    }
}

// MARK: - Helpers

/// Which calls were answered, and how often each.
private final class AnsweredLog: @unchecked Sendable {
    private let lock = NSLock()
    private var answered: [String: Int] = [:]
    func add(_ call: String) { lock.withLock { answered[call, default: 0] += 1 } }
    var counts: [String: Int] { lock.withLock { answered } }
}

/// Admits `answerBeforeDeath` calls, then none.
private final class DyingServer: @unchecked Sendable {
    private let lock = NSLock()
    private var admitted = 0
    private let limit: Int
    init(answerBeforeDeath: Int) { limit = answerBeforeDeath }
    func admit() -> Bool {
        lock.withLock {
            admitted += 1
            return admitted <= limit
        }
    }
}

private final class FlakyBehaviour: @unchecked Sendable {
    private let lock = NSLock()
    private var down = false
    var isDown: Bool {
        get { lock.withLock { down } }
        set { lock.withLock { down = newValue } }
    }
}
