import Dispatch
import Foundation

/// Splits work over the machine's cores.
///
/// A decode step of SmolLM2 is ~210 matrix-vector products of 50–200 µs each, so the cost of starting
/// parallel work matters: `DispatchQueue.concurrentPerform` costs several µs per call (measured in
/// BENCHMARKS.md, "Engine kernels"); `WorkerPool` keeps threads spinning briefly between calls, as ggml does.
enum Parallel {
    /// Worker count: the active processors, overridable with `JUDGE_THREADS`.
    static let threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["JUDGE_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// The persistent workers (threadCount − 1 threads; the calling thread is the last worker).
    /// `JUDGE_POOL=dispatch` uses `DispatchQueue.concurrentPerform` instead (for comparison).
    static let pool: WorkerPool? = {
        if threadCount <= 1 || ProcessInfo.processInfo.environment["JUDGE_POOL"] == "dispatch" { return nil }
        return WorkerPool(threads: threadCount - 1)
    }()

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when the work is large enough.
    /// Every range but the last starts and ends at a multiple of `alignment` (the integer kernels take
    /// a lone vector's rows eight at a time).
    @inline(__always)
    static func forRanges(count: Int, minimumChunk: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount * 4, count / max(1, minimumChunk))
        if chunks <= 1 || threadCount == 1 {
            body(0..<count)
            return
        }
        let size = ((count + chunks - 1) / chunks + alignment - 1) / alignment * alignment
        let chunk: (Int) -> Void = { c in
            let start = c * size
            let end = min(count, start + size)
            if start < end { body(start..<end) }
        }
        if let pool {
            pool.run(chunks: chunks, chunk)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: chunk)
        }
    }
}
