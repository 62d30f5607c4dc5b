import Foundation
import HTTP
import OpenAIWire

/// Several OpenAI-compatible endpoints serving the same model (a suite's `urls:`), used as one.
///
/// Each call goes to the endpoint with the fewest calls in flight (ties: the one sent fewest so far). An
/// endpoint whose call fails in a way that is the endpoint's fault — refused or dropped connection, timeout,
/// 429/5xx, TLS — is taken out for ``probeInterval`` (doubling while it keeps failing, up to
/// ``maxProbeInterval``) and the call moves to another endpoint at once; once the interval has passed, the
/// next call to it is the probe that brings it back or takes it out again. A call is only ever sent again
/// after the endpoint it went to failed it, so an answered call is never sent twice.
///
/// A call that fails because of the request itself (400, 401, a malformed reply, a prompt too long) is not
/// the endpoint's fault and is thrown as it is. A call tries at most ``maxAttempts`` times in all; when every
/// endpoint is out it waits for the first to be due for its probe. After `failureLimit` calls in a row
/// found no endpoint that answered, every call fails fast with ``ChatCompletionsError/failuresPersist(_:)``.
public final class EndpointPool: ChatCompleting, @unchecked Sendable {
    /// One endpoint's share of the run, for the run summary.
    public struct EndpointCount: Sendable, Hashable {
        public var endpoint: String
        /// Calls sent to it (probes included).
        public var sent: Int
        /// Calls it answered.
        public var answered: Int
        /// Calls it failed, each of which took it out of the pool.
        public var failed: Int
    }

    public let probeInterval: Duration
    public let maxProbeInterval: Duration
    public let maxAttempts: Int
    private let breaker: FailureBreaker
    private let lock = NSLock()

    private struct Member {
        var name: String
        var client: any ChatCompleting
        var inFlight = 0
        var count: EndpointCount
        /// nil: in the pool. Otherwise out until this instant, then probed.
        var outUntil: ContinuousClock.Instant?
        var outFor: Duration = .zero
        /// A probe call is on its way: no other call joins it until it answers.
        var probing = false
    }

    private var state: [Member]

    /// - Parameter endpoints: a name (the URL, for the summary) and a client per endpoint; the clients should
    ///   not retry much themselves (``clients(urls:apiKeyEnvironmentVariable:http:environment:timeout:)``
    ///   makes ones that fail over at once).
    public init(endpoints: [(name: String, client: any ChatCompleting)], probeInterval: Duration = .seconds(2),
                maxProbeInterval: Duration = .seconds(60), maxAttempts: Int = 6, failureLimit: Int = 5) {
        precondition(!endpoints.isEmpty, "EndpointPool needs at least one endpoint")
        state = endpoints.map { Member(name: $0.name, client: $0.client, count: EndpointCount(endpoint: $0.name, sent: 0, answered: 0, failed: 0)) }
        self.probeInterval = probeInterval
        self.maxProbeInterval = maxProbeInterval
        self.maxAttempts = max(1, maxAttempts)
        breaker = FailureBreaker(limit: failureLimit)
    }

    /// A chat-completions client per URL that tries each call once (the pool moves a failed call to
    /// another endpoint instead of retrying against the one that failed it) and never gives up for good.
    public static func clients(urls: [URL], apiKeyEnvironmentVariable: String?, http: HTTPClient,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               timeout: Duration? = nil) -> [(name: String, client: any ChatCompleting)] {
        urls.map { url in
            (url.absoluteString, ChatCompletionsClient(baseURL: url, apiKeyEnvironmentVariable: apiKeyEnvironmentVariable, http: http,
                                                       retry: .none, timeout: timeout, failureLimit: .max, environment: environment))
        }
    }

    /// Per endpoint, in the order given.
    public var counts: [EndpointCount] { lock.withLock { state.map(\.count) } }

    // MARK: - Calls

    public func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletion {
        if let why = breaker.openReason { throw ChatCompletionsError.failuresPersist(why) }
        var lastError: ChatCompletionsError?
        for _ in 0..<maxAttempts {
            let index = try await acquire()
            do {
                let completion = try await state(index).client.complete(request)
                release(index, .answered)
                breaker.recordSuccess()
                return completion
            } catch let error as ChatCompletionsError where Self.isEndpointsFault(error) {
                release(index, .failed)
                lastError = error
            } catch let error as ChatCompletionsError {
                release(index, .answered)  // it answered: the request is what is wrong
                throw error
            } catch {
                release(index, .abandoned)
                throw error
            }
        }
        let last = lastError?.description ?? "no endpoint answered"
        breaker.recordFailure(last)
        throw ChatCompletionsError.retriesExhausted(last: "\(last) (\(maxAttempts) attempts over \(state.count) endpoints)")
    }

    /// Whether a failure says the endpoint, not the request, is at fault.
    static func isEndpointsFault(_ error: ChatCompletionsError) -> Bool {
        switch error {
        case .retriesExhausted, .timedOut, .transport, .unusableEndpoint, .failuresPersist: true
        case .rejected, .malformedReply, .promptTooLong: false
        }
    }

    private func state(_ index: Int) -> Member { lock.withLock { state[index] } }

    /// Takes the endpoint for the next call: the least busy one in the pool, or one due for its probe;
    /// when every endpoint is out and none is due, waits for the first to be due.
    private func acquire() async throws -> Int {
        while true {
            try Task.checkCancellation()
            let now = ContinuousClock.now
            let choice: (index: Int?, wait: Duration) = lock.withLock {
                var best: Int?
                var nextDue: ContinuousClock.Instant?
                for (index, member) in state.enumerated() {
                    if let until = member.outUntil {
                        if member.probing { continue }
                        if until > now {
                            nextDue = min(nextDue ?? until, until)
                            continue
                        }
                        // Due: this call is its probe, alone.
                        state[index].probing = true
                        state[index].inFlight += 1
                        state[index].count.sent += 1
                        return (index, .zero)
                    }
                    if let current = best {
                        let a = state[current], b = member
                        if (b.inFlight, b.count.sent) < (a.inFlight, a.count.sent) { best = index }
                    } else {
                        best = index
                    }
                }
                if let best {
                    state[best].inFlight += 1
                    state[best].count.sent += 1
                    return (best, .zero)
                }
                return (nil, nextDue.map { $0 - now } ?? probeInterval)
            }
            if let index = choice.index { return index }
            try await Task.sleep(for: max(choice.wait, .milliseconds(10)))
        }
    }

    private enum Outcome { case answered, failed, abandoned }

    private func release(_ index: Int, _ outcome: Outcome) {
        lock.withLock {
            let wasProbe = state[index].probing
            state[index].inFlight -= 1
            state[index].probing = false
            switch outcome {
            case .answered:
                state[index].count.answered += 1
                state[index].outUntil = nil
                state[index].outFor = .zero
            case .failed:
                state[index].count.failed += 1
                if state[index].outUntil == nil {
                    state[index].outFor = probeInterval
                    state[index].outUntil = ContinuousClock.now + probeInterval
                } else if wasProbe {
                    // Still failing: wait twice as long before the next probe.
                    state[index].outFor = min(maxProbeInterval, state[index].outFor * 2)
                    state[index].outUntil = ContinuousClock.now + state[index].outFor
                }
            case .abandoned:
                break
            }
        }
    }

    // MARK: - Summary

    /// One line per endpoint for a run summary: `judge endpoint URL: 40 sent, 38 answered, 2 failed`.
    public static func describe(_ counts: [EndpointCount], role: String) -> String {
        counts.map { "\(role) endpoint \($0.endpoint): \($0.sent) sent, \($0.answered) answered, \($0.failed) failed" }
            .joined(separator: "\n")
    }
}
