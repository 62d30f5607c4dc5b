@testable import ChatCompletions
import Foundation
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testBackoffDoublesUpToTheCapWithFullJitter() {
        let top = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(4), random: { 1 })
        XCTAssertEqual((1...6).map { top.delay(afterAttempt: $0) },
                       [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
        let bottom = RetryPolicy(random: { 0 })
        XCTAssertEqual(bottom.delay(afterAttempt: 3), .zero)
        let huge = RetryPolicy(maxDelay: .seconds(30), random: { 1 })
        XCTAssertEqual(huge.delay(afterAttempt: 500), .seconds(30), "no overflow on absurd attempt numbers")
    }

    func testRetryAfterReplacesTheJitteredWaitAndIsClamped() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(60), random: { 1 })
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "12"), .seconds(12))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "0.25"), .milliseconds(250))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "3600"), .seconds(60))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "soon"), .milliseconds(500), "unparseable: ordinary backoff")
    }

    func testRetryAfterDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now: now), .seconds(10))
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:57 GMT", now: now), .seconds(20))
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sun Nov  6 08:50:07 1994", now: now), .seconds(30))
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now), .zero, "past dates mean now")
        XCTAssertNil(RetryPolicy.parseRetryAfter("-5", now: now))
        XCTAssertNil(RetryPolicy.parseRetryAfter("", now: now))
    }
}
