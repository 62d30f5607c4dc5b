import Foundation
import Synchronization
import XCTest
@testable import LocalInference

/// The persistent worker pool behind `Parallel`: every chunk runs exactly once per job, job after job,
/// from concurrent callers and from inside a job (which then runs serially instead of deadlocking).
final class WorkerPoolTests: XCTestCase {
    func testEveryChunkRunsExactlyOncePerJob() {
        let pool = WorkerPool(threads: 3)
        for job in 0..<2_000 {
            let chunks = 1 + job % 37
            let counts = (0..<chunks).map { _ in Counter() }
            pool.run(chunks: chunks) { c in counts[c].value.add(1, ordering: .relaxed) }
            for c in 0..<chunks {
                XCTAssertEqual(counts[c].value.load(ordering: .relaxed), 1, "job \(job) chunk \(c)")
            }
        }
    }

    func testConcurrentCallersAndNestedCallsAllComplete() {
        let pool = WorkerPool(threads: 2)
        let total = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<300 {
                pool.run(chunks: 8) { _ in
                    // A nested job finds the pool busy and runs its chunks on this thread.
                    pool.run(chunks: 3) { _ in total.value.add(1, ordering: .relaxed) }
                }
            }
        }
        XCTAssertEqual(total.value.load(ordering: .relaxed), 4 * 300 * 8 * 3)
    }

    func testForRangesCoversEveryIndexOnce() {
        for count in [0, 1, 15, 16, 100, 1_000, 49_152] {
            var hits = [Int](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { h in
                let base = h.baseAddress!
                Parallel.tests.forRanges(count: count, minimumChunk: 16) { range in
                    for i in range { base[i] += 1 }
                }
            }
            XCTAssertEqual(hits, [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    /// With an alignment, every range but the last starts and ends at a multiple of it, and all are covered once.
    func testForRangesAligned() {
        for count in [7, 8, 100, 203, 1_536, 49_152] {
            let lock = NSLock()
            var ranges: [Range<Int>] = []
            Parallel.tests.forRanges(count: count, minimumChunk: 4, alignment: 8) { range in
                lock.lock(); ranges.append(range); lock.unlock()
            }
            ranges.sort { $0.lowerBound < $1.lowerBound }
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            XCTAssertEqual(ranges.last?.upperBound, count)
            for (a, b) in zip(ranges, ranges.dropFirst()) {
                XCTAssertEqual(a.upperBound, b.lowerBound, "count \(count)")
                XCTAssertEqual(a.upperBound % 8, 0, "count \(count): \(ranges)")
            }
        }
    }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
