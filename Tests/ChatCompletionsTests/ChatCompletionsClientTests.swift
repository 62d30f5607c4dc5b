@testable import ChatCompletions
import Foundation
import HTTP
import OpenAIWire
import TestSupport
import XCTest

/// ChatCompletionsClient against the loopback server; retries sleep through a recorder, not a clock.
final class ChatCompletionsClientTests: XCTestCase {
    private var server: LoopbackChatServer!
    private let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 4))
    private let sleeps = SleepRecorder()
    private let secret = "sk-test-0123456789abcdef"

    override func setUpWithError() throws {
        server = try LoopbackChatServer.start()
    }

    override func tearDown() {
        server.stop()
    }

    private func client(
        maxAttempts: Int = 4, style: ChatCompletionsClient.APIStyle = .openAI, timeout: Duration? = nil,
        failureLimit: Int = 5, environment: [String: String]? = nil, now: Date = Date()
    ) -> ChatCompletionsClient {
        let sleeps = sleeps
        let policy = RetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), maxDelay: .seconds(8),
                                 sleep: { await sleeps.record($0) }, now: { now }, random: { 0.5 })
        return ChatCompletionsClient(baseURL: server.baseURL, http: http, retry: policy, style: style, timeout: timeout,
                                     failureLimit: failureLimit, environment: environment ?? ["OPENAI_API_KEY": secret])
    }

    private let request = ChatCompletionRequest(model: "judge-model", messages: [.system("Be fair."), .user("A or B?")],
                                                temperature: 0, maxTokens: 64, seed: 7)

    // MARK: - Success

    func testReplyIsParsed() async throws {
        server.enqueue(.completion(.init(
            content: "Assistant A is better. [[A]]", finishReason: "stop", promptTokens: 120, completionTokens: 9,
            logprobs: [.init(token: "[[", logprob: -0.01, topLogprobs: [.init(token: "[[", logprob: -0.01), .init(token: "A", logprob: -4.6)])],
            model: "judge-model-2024")))
        let reply = try await client().complete(request)

        XCTAssertEqual(reply.content, "Assistant A is better. [[A]]")
        XCTAssertEqual(reply.finishReason, "stop")
        XCTAssertEqual(reply.usage, .init(promptTokens: 120, completionTokens: 9))
        XCTAssertEqual(reply.model, "judge-model-2024")
        XCTAssertEqual(reply.logprobs, [.init(token: "[[", logprob: -0.01,
                                              topLogprobs: [.init(token: "[[", logprob: -0.01), .init(token: "A", logprob: -4.6)])])
        XCTAssertTrue(reply.rawBody.contains("chat.completion"))
        XCTAssertGreaterThan(reply.latency, .zero)
    }

    func testRepliesWithoutOrWithTwoVerdictsPassThroughVerbatim() async throws {
        server.enqueue(.reply("Both are fine, I cannot decide."), .reply("First [[A]], on reflection [[B]]."),
                       .completion(.init(content: nil, finishReason: "length")))
        let judge = client()
        let none = try await judge.complete(request)
        let two = try await judge.complete(request)
        let empty = try await judge.complete(request)
        XCTAssertEqual(none.content, "Both are fine, I cannot decide.")
        XCTAssertEqual(two.content, "First [[A]], on reflection [[B]].")
        XCTAssertEqual(empty.content, "")
        XCTAssertEqual(empty.finishReason, "length")
        XCTAssertNil(empty.logprobs)
    }

    func testRequestBodyUsesSnakeCaseAndOmitsUnsetFields() async throws {
        var asked = request
        asked.logprobs = true
        asked.topLogprobs = 3
        _ = try await client().complete(asked)
        let body = try XCTUnwrap(server.requests.first?.jsonObject)
        XCTAssertEqual(body["model"] as? String, "judge-model")
        XCTAssertEqual(body["temperature"] as? Double, 0)
        XCTAssertEqual(body["max_tokens"] as? Int, 64)
        XCTAssertEqual(body["seed"] as? Int, 7)
        XCTAssertEqual(body["logprobs"] as? Bool, true)
        XCTAssertEqual(body["top_logprobs"] as? Int, 3)
        XCTAssertNil(body["stop"])
        let messages = try XCTUnwrap(body["messages"] as? [[String: String]])
        XCTAssertEqual(messages, [["role": "system", "content": "Be fair."], ["role": "user", "content": "A or B?"]])
    }

    // MARK: - Keys and endpoints

    func testKeyIsSentAsBearerFromTheNamedVariable() async throws {
        let judge = ChatCompletionsClient(baseURL: server.baseURL, apiKeyEnvironmentVariable: "JUDGE_KEY", http: http,
                                          environment: ["JUDGE_KEY": secret, "OPENAI_API_KEY": "other"])
        _ = try await judge.complete(request)
        let recorded = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(recorded.path, "/v1/chat/completions")
        XCTAssertEqual(recorded.header("Authorization"), "Bearer \(secret)")
        XCTAssertEqual(recorded.header("Content-Type"), "application/json")
        XCTAssertFalse(judge.description.contains(secret))
        XCTAssertFalse(String(reflecting: judge).contains(secret))
        var dumped = ""
        dump(judge, to: &dumped)
        XCTAssertFalse(dumped.contains(secret))
    }

    func testNoKeyInTheEnvironmentSendsNoAuthorization() async throws {
        let judge = client(environment: [:])
        XCTAssertFalse(judge.hasAPIKey)
        _ = try await judge.complete(request)
        XCTAssertNil(server.requests.first?.header("Authorization"))
    }

    func testAzureStyleSendsApiKeyHeaderAndVersion() async throws {
        _ = try await client(style: .azure(apiVersion: "2024-06-01")).complete(request)
        let recorded = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(recorded.uri, "/v1/chat/completions?api-version=2024-06-01")
        XCTAssertEqual(recorded.header("api-key"), secret)
        XCTAssertNil(recorded.header("Authorization"))
    }

    // MARK: - Retries

    func testRateLimitHonoursRetryAfterSeconds() async throws {
        server.enqueue(.rateLimited(retryAfter: "3"), .reply("[[B]]"))
        let reply = try await client().complete(request)
        XCTAssertEqual(reply.content, "[[B]]")
        XCTAssertEqual(server.requests.count, 2)
        let waited = await sleeps.durations
        XCTAssertEqual(waited, [.seconds(3)])
    }

    func testRateLimitHonoursRetryAfterHTTPDate() async throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        server.enqueue(.rateLimited(retryAfter: "Tue, 14 Nov 2023 22:13:27 GMT"), .reply("[[A]]"))
        _ = try await client(now: now).complete(request)
        let waited = await sleeps.durations
        XCTAssertEqual(waited, [.seconds(7)])
    }

    func testServerErrorsBackOffExponentiallyWithJitter() async throws {
        server.enqueue(.error(500, message: "boom"), .error(503, message: "overloaded"), .error(502, message: "bad gateway"),
                       .reply("[[C]]"))
        let reply = try await client().complete(request)
        XCTAssertEqual(reply.content, "[[C]]")
        XCTAssertEqual(server.requests.count, 4)
        // random() is 0.5: half of base·2^(n-1), i.e. 0.5 s, 1 s, 2 s.
        let waited = await sleeps.durations
        XCTAssertEqual(waited, [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    func testPersistentServerErrorsExhaustTheRetries() async throws {
        server.responder = { _ in .error(503, message: "The engine is currently overloaded") }
        do {
            _ = try await client(maxAttempts: 3).complete(request)
            XCTFail("expected exhausted retries")
        } catch let error as ChatCompletionsError {
            guard case .retriesExhausted(let last) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(last.contains("HTTP 503: The engine is currently overloaded"), last)
            XCTAssertFalse(error.isFatal)
        }
        XCTAssertEqual(server.requests.count, 3)
    }

    func testSlowReplyTimesOutAndIsRetried() async throws {
        server.enqueue(.delayed(.seconds(2), then: .reply("late")), .reply("[[A]]"))
        let reply = try await client(timeout: .milliseconds(300)).complete(request)
        XCTAssertEqual(reply.content, "[[A]]")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testSingleAttemptTimeoutIsTimedOut() async throws {
        server.enqueue(.delayed(.seconds(2), then: .reply("late")))
        do {
            _ = try await client(maxAttempts: 1, timeout: .milliseconds(300)).complete(request)
            XCTFail("expected a timeout")
        } catch let error as ChatCompletionsError {
            XCTAssertEqual(error, .timedOut)
        }
    }

    func testSingleAttemptRefusedConnectionIsTransport() async throws {
        let closed = try LoopbackChatServer.start()
        closed.stop()
        let judge = ChatCompletionsClient(baseURL: closed.baseURL, http: http, retry: .none, environment: [:])
        do {
            _ = try await judge.complete(request)
            XCTFail("expected a transport failure")
        } catch let error as ChatCompletionsError {
            guard case .transport(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.hasPrefix("could not connect"), detail)
            XCTAssertFalse(error.isFatal)
        }
    }

    func testDroppedConnectionsAreRetried() async throws {
        server.enqueue(.dropConnection, .closeMidResponse(.init(content: "[[A]]"), bytes: 30), .reply("[[A]]"))
        let reply = try await client().complete(request)
        XCTAssertEqual(reply.content, "[[A]]")
        XCTAssertEqual(server.requests.count, 3)
    }

    // MARK: - Rejections and bad replies

    func testClientErrorsStopAtOnceWithTheServerMessage() async throws {
        for status in [400, 401, 403, 404] {
            server.enqueue(.error(status, message: "problem \(status)"))
            do {
                _ = try await client().complete(request)
                XCTFail("expected a rejection for \(status)")
            } catch let error as ChatCompletionsError {
                XCTAssertEqual(error, .rejected(status: status, message: "problem \(status)"))
                XCTAssertTrue(error.isFatal)
            }
        }
        XCTAssertEqual(server.requests.count, 4, "no retries")
        let waited = await sleeps.durations
        XCTAssertEqual(waited, [])
    }

    func testTLSFailureMakesTheEndpointUnusable() async throws {
        var components = URLComponents(url: server.baseURL, resolvingAgainstBaseURL: false)!
        components.scheme = "https"
        let judge = ChatCompletionsClient(baseURL: components.url!, http: http, retry: RetryPolicy(sleep: { _ in }),
                                          environment: [:])
        do {
            _ = try await judge.complete(request)
            XCTFail("expected an unusable endpoint")
        } catch let error as ChatCompletionsError {
            guard case .unusableEndpoint(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.hasPrefix("TLS failed"), detail)
            XCTAssertTrue(error.isFatal)
        }
        XCTAssertEqual(server.requests.count, 0, "the plain server never sees a complete request")
    }

    func testEchoedKeyIsRedactedFromErrors() async throws {
        server.enqueue(.error(401, message: "Incorrect API key provided: \(secret)."))
        do {
            _ = try await client().complete(request)
            XCTFail("expected a rejection")
        } catch let error as ChatCompletionsError {
            XCTAssertFalse(error.description.contains(secret), error.description)
            XCTAssertTrue(error.description.contains("[redacted]"), error.description)
        }
    }

    func testMalformedJSONIsARecordedErrorNotARetry() async throws {
        server.enqueue(.malformedJSON, .raw(status: 200, body: #"{"choices": []}"#), .raw(status: 200, body: "<html>oops</html>"))
        let judge = client()
        for expected in ["not valid JSON", "no choices", "not valid JSON"] {
            do {
                _ = try await judge.complete(request)
                XCTFail("expected a malformed reply")
            } catch let error as ChatCompletionsError {
                guard case .malformedReply(let detail) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(detail.contains(expected), detail)
                XCTAssertFalse(error.isFatal)
            }
        }
        XCTAssertEqual(server.requests.count, 3)
    }

    // MARK: - Persisting failures

    func testPersistentFailuresStopFurtherCalls() async throws {
        server.responder = { _ in .error(500, message: "down") }
        let judge = client(maxAttempts: 2, failureLimit: 2)
        for _ in 0..<2 {
            do {
                _ = try await judge.complete(request)
                XCTFail("expected exhausted retries")
            } catch let error as ChatCompletionsError {
                guard case .retriesExhausted = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(server.requests.count, 4)
        do {
            _ = try await judge.complete(request)
            XCTFail("expected failuresPersist")
        } catch let error as ChatCompletionsError {
            guard case .failuresPersist(let why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.isFatal)
            XCTAssertTrue(why.contains("2 judge calls in a row"), why)
            XCTAssertTrue(why.contains("HTTP 500: down"), why)
        }
        XCTAssertEqual(server.requests.count, 4, "no request once failures persist")
    }

    func testASuccessResetsTheFailureCount() async throws {
        server.enqueue(.error(500, message: "down"), .reply("[[A]]"), .error(500, message: "down"), .reply("[[B]]"))
        let judge = client(maxAttempts: 1, failureLimit: 2)
        for expectSuccess in [false, true, false, true] {
            do {
                _ = try await judge.complete(request)
                XCTAssertTrue(expectSuccess)
            } catch let error as ChatCompletionsError {
                XCTAssertFalse(expectSuccess, "\(error)")
                XCTAssertFalse(error.isFatal)
            }
        }
    }

    // MARK: - Cancellation

    func testCancellationDuringBackoffStops() async throws {
        server.responder = { _ in .error(503, message: "busy") }
        let judge = ChatCompletionsClient(baseURL: server.baseURL, http: http,
                                          retry: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(60), random: { 1 }),
                                          environment: [:])
        let task = Task { try await judge.complete(request) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertEqual(server.requests.count, 1)
    }
}

/// Collects the waits a RetryPolicy asks for, without waiting.
actor SleepRecorder {
    private(set) var durations: [Duration] = []
    func record(_ duration: Duration) { durations.append(duration) }
}
