import Foundation

/// How the chat-completions client retries transient failures (429, 5xx, timeouts, dropped connections):
/// bounded exponential backoff with full jitter, honouring a server's `Retry-After`.
///
/// Attempt `n` (1-based) that fails waits a uniformly random time in `0 ... min(maxDelay, baseDelay · 2^(n-1))`
/// before attempt `n + 1` ("full jitter", Brooker, *Exponential Backoff And Jitter*, AWS Architecture Blog 2015),
/// so many clients that failed together do not retry together. A `Retry-After` from the server replaces the
/// jittered wait, clamped to `maxRetryAfter`.
///
/// `sleep`, `now` and `random` are injectable so tests run instantly and deterministically.
public struct RetryPolicy: Sendable {
    /// Total attempts per call, the first included (1 = never retry).
    public var maxAttempts: Int
    public var baseDelay: Duration
    /// The cap on one backoff wait.
    public var maxDelay: Duration
    /// The cap on a server-requested `Retry-After` wait.
    public var maxRetryAfter: Duration
    /// Waits; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The wall clock, for `Retry-After` given as an HTTP-date.
    public var now: @Sendable () -> Date
    /// A uniform random number in `0 ..< 1`.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 6,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        precondition(maxAttempts >= 1, "RetryPolicy.maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
        self.now = now
        self.random = random
    }

    /// Never retries: every transient failure is thrown as it happens.
    public static var none: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    // MARK: - Delays

    /// The wait after failed attempt `attempt` (1-based); `retryAfter` is the server's header value, if any.
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil) -> Duration {
        if let retryAfter, let requested = Self.parseRetryAfter(retryAfter, now: now()) {
            return min(requested, maxRetryAfter)
        }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * random()
    }

    /// `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means 0.
    static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        guard let date = httpDate(trimmed) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers may send; the obsolete
    /// RFC 850 and asctime forms are accepted too, as RFC 9110 §5.6.7 asks of recipients.
    private static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
