import Foundation
import XCTest
@testable import Store
import StoreTestSupport

/// Jobs and leases, on both backends: claimed once, renewed, taken over after expiry, finished.
final class LeaseTests: XCTestCase {
    func testEachJobIsClaimedByOneWorkerAndExpiredLeasesAreTakenOver() throws {
        forEachBackend { store, _ in
            let keys = (0..<10).map { "key-\($0)" }
            XCTAssertEqual(try store.enqueue(scope: "s", keys: keys), 10)
            XCTAssertEqual(try store.enqueue(scope: "s", keys: keys), 0, "uniqueness in the schema: enqueueing again is a no-op")

            let a = try store.claim(scope: "s", owner: "a", limit: 4, lease: .seconds(60))
            let b = try store.claim(scope: "s", owner: "b", limit: 4, lease: .seconds(60))
            let c = try store.claim(scope: "s", owner: "c", limit: 4, lease: .milliseconds(300))
            XCTAssertEqual(a, Array(keys[0..<4]))
            XCTAssertEqual(b, Array(keys[4..<8]))
            XCTAssertEqual(c, Array(keys[8..<10]))
            XCTAssertTrue(try store.claim(scope: "s", owner: "d", limit: 4, lease: .seconds(60)).isEmpty, "nothing free")
            XCTAssertTrue(try store.claim(scope: "other", owner: "d", limit: 4, lease: .seconds(60)).isEmpty, "scopes are apart")

            // a finishes; b renews; c dies (no renewal) and its lease runs out.
            try store.finish(keys: a, owner: "a")
            XCTAssertEqual(try store.renewLeases(owner: "b", lease: .seconds(60)), 4)
            Thread.sleep(forTimeInterval: 0.5)
            let d = try store.claim(scope: "s", owner: "d", limit: 10, lease: .seconds(60))
            XCTAssertEqual(d, c, "only the dead worker's jobs are taken over")
            XCTAssertEqual(try store.jobAttempts(scope: "s")["key-8"], 2)
            XCTAssertEqual(try store.jobAttempts(scope: "s")["key-0"], 1)
            try store.finish(keys: c, owner: "c")  // the dead worker's late finish changes nothing
            XCTAssertEqual(try store.unfinishedJobs(scope: "s"), 6)

            // b stops cleanly: its jobs are free at once.
            try store.releaseLeases(owner: "b")
            XCTAssertEqual(try store.claim(scope: "s", owner: "e", limit: 10, lease: .seconds(60)), b)
            try store.finish(keys: b, owner: "e")
            try store.finish(keys: d, owner: "d")
            XCTAssertEqual(try store.unfinishedJobs(scope: "s"), 0)
            // A finished job whose judgment never settled (a failed call) opens again for the next run.
            XCTAssertEqual(try store.enqueue(scope: "s", keys: ["key-0"]), 1)
            XCTAssertEqual(try store.claim(scope: "s", owner: "f", limit: 10, lease: .seconds(60)), ["key-0"])
        }
    }
}
