import Dispatch
import Foundation
import Synchronization

/// Splits work over the threads of an `EngineConfiguration`.
///
/// A decode step of SmolLM2 is ~210 matrix-vector products of 50–200 µs each, so the cost of starting
/// parallel work matters: `DispatchQueue.concurrentPerform` costs several µs per call (measured in
/// BENCHMARKS.md, "Engine kernels"); `WorkerPool` keeps threads spinning briefly between calls, as ggml does.
struct Parallel: Sendable {
    /// Worker count, the calling thread included.
    let threadCount: Int
    /// The persistent workers (threadCount − 1 threads; the calling thread is the last worker); nil for
    /// one thread, or `concurrentPerform` (`EngineConfiguration.Workers.dispatch`).
    let pool: WorkerPool?

    init(_ configuration: EngineConfiguration) {
        threadCount = configuration.threads
        pool = threadCount > 1 && configuration.workers == .pool ? WorkerPool.shared(threads: threadCount - 1) : nil
    }

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when the work is large enough.
    /// Every range but the last starts and ends at a multiple of `alignment` (the integer kernels take
    /// a lone vector's rows eight at a time).
    @inline(__always)
    func forRanges(count: Int, minimumChunk: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
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

extension WorkerPool {
    /// The process's pools, one per thread count: their threads live as long as the process, so models
    /// loaded with the same configuration share one instead of each starting its own.
    private static let pools = Mutex<[Int: WorkerPool]>([:])

    /// The shared pool of `threads` worker threads.
    static func shared(threads: Int) -> WorkerPool {
        pools.withLock { pools in
            if let pool = pools[threads] { return pool }
            let pool = WorkerPool(threads: threads)
            pools[threads] = pool
            return pool
        }
    }
}
