import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent worker threads for `Parallel`: a job is a chunk count and a body; the caller and the workers
/// claim chunks from one atomic ticket until none are left, and the caller returns when all are done.
///
/// Idle workers spin on the ticket for a while (a decode step issues a job every few tens of µs), then
/// park on a condition variable. Nothing is allocated per job. One job runs at a time: a caller that finds
/// the pool busy (another inference context, or a nested call from inside a job) runs its chunks itself.
final class WorkerPool: @unchecked Sendable {
    /// The ticket packs the job generation (high 32 bits), the job's chunk count (16 bits) and the next
    /// unclaimed chunk (low 16 bits), so a worker that wakes late can never claim a chunk of a newer job
    /// against an older job's count or body.
    private let ticket = Atomic<UInt64>(0)
    /// Chunks of the current job finished.
    private let finished = Atomic<Int>(0)
    /// Whether a job is running (callers that lose the race run serially).
    private let busy = Atomic<Bool>(false)
    /// Workers parked on `wake`.
    private let sleepers = Atomic<Int>(0)
    /// The current job's body; valid while a chunk of it is claimed and unfinished.
    private var body: ((Int) -> Void)?
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    /// Iterations a worker spins on the ticket before parking (tens of µs).
    private let spinLimit = 200_000

    init(threads: Int) {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
        for index in 0..<threads {
            let thread = Thread { self.workerLoop() }   // the threads keep the pool alive: it is never freed
            thread.name = "judge-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `chunk(0) … chunk(chunks − 1)` on the workers and the calling thread; returns when all are done.
    func run(chunks: Int, _ chunk: (Int) -> Void) {
        precondition(chunks < 1 << 16)
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for c in 0..<chunks { chunk(c) }
            return
        }
        withoutActuallyEscaping(chunk) { escapable in
            body = escapable
            finished.store(0, ordering: .relaxed)
            let generation = (ticket.load(ordering: .relaxed) >> 32) &+ 1
            ticket.store(generation << 32 | UInt64(chunks) << 16, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&wake)
                pthread_mutex_unlock(&mutex)
            }
            work(generation: generation)
            var spins = 0
            while finished.load(ordering: .acquiring) < chunks {
                spins += 1
                if spins > 2_000 { sched_yield() }   // a worker was descheduled: give it the core
            }
            body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs chunks of job `generation` until none are left.
    private func work(generation: UInt64) {
        while true {
            var current = ticket.load(ordering: .acquiring)
            var claimed = -1
            while current >> 32 == generation {
                let count = (current >> 16) & 0xffff, next = current & 0xffff
                if next >= count { break }
                let (exchanged, original) = ticket.compareExchange(
                    expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
                if exchanged { claimed = Int(next); break }
                current = original
            }
            if claimed < 0 { return }
            body!(claimed)
            finished.add(1, ordering: .releasing)
        }
    }

    private func workerLoop() {
        var seen: UInt64 = 0
        while true {
            var spins = 0
            var generation = ticket.load(ordering: .acquiring) >> 32
            while generation == seen {
                spins += 1
                if spins >= spinLimit {
                    pthread_mutex_lock(&mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen {
                        pthread_cond_wait(&wake, &mutex)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(&mutex)
                    spins = 0
                }
                generation = ticket.load(ordering: .acquiring) >> 32
            }
            seen = generation
            work(generation: generation)
        }
    }
}
