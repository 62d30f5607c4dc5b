import Dispatch
import Foundation

/// Splits work over the machine's cores with `DispatchQueue.concurrentPerform`.
enum Parallel {
    /// Worker count: the active processors, overridable with `JUDGE_THREADS`.
    static let threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["JUDGE_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when the work is large enough.
    @inline(__always)
    static func forRanges(count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount * 4, count / max(1, minimumChunk))
        if chunks <= 1 || threadCount == 1 {
            body(0..<count)
            return
        }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * size
            let end = min(count, start + size)
            if start < end { body(start..<end) }
        }
    }
}
