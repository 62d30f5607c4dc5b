import Foundation

// MARK: - BatchScheduler

/// Runs up to `parallel` sequences together — every step advances each of them by one token — and queues
/// the rest in arrival order (continuous batching: a finished sequence's slot goes to the next in line at
/// the following step).
///
/// The model runs on the scheduler's own thread, never on the event loops or the cooperative pool, so a
/// long prompt never stalls the HTTP side. Each request gets a stream of its steps; when the consumer goes
/// away (the client disconnected, its task was cancelled), the sequence is dropped before the next step.
///
/// ```swift
/// let scheduler = BatchScheduler(engine: engine, parallel: 4)
/// for try await step in scheduler.submit(prepared) { print(step.text, terminator: "") }
/// scheduler.beginShutdown(); await scheduler.drained()
/// ```
final class BatchScheduler: @unchecked Sendable {
    let engine: any CompletionEngine
    /// The most sequences stepped together.
    let parallel: Int

    /// Guards every `var` below and every job's `cancelled`; signalled on submit, cancel and shutdown.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var accepting = true
    private var exited = false
    /// Set by `cancelAll()`: the loop drops the running sequences too.
    private var cancelRunning = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(engine: any CompletionEngine, parallel: Int) {
        precondition(parallel >= 1, "parallel must be at least 1")
        self.engine = engine
        self.parallel = parallel
        let thread = Thread { [self] in run() }
        thread.name = "judge.scheduler"
        thread.stackSize = 16 << 20
        thread.start()
    }

    // MARK: - Requests

    /// Queues a prepared prompt; the stream yields one `SequenceStep` per generated token and finishes after
    /// the step that carries a finish reason. Ending the iteration early cancels the generation.
    func submit(_ prepared: PreparedCompletion) -> AsyncThrowingStream<SequenceStep, Error> {
        AsyncThrowingStream { continuation in
            let job = Job(prepared: prepared, continuation: continuation)
            continuation.onTermination = { [weak self, weak job] _ in
                guard let self, let job else { return }
                self.cancel(job)
            }
            condition.lock()
            let accepted = accepting
            if accepted {
                queue.append(job)
                condition.signal()
            }
            condition.unlock()
            // Outside the lock: finishing runs `onTermination`, which takes it.
            if !accepted { continuation.finish(throwing: SchedulerError.shuttingDown) }
        }
    }

    /// How many requests wait for a slot.
    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    private func cancel(_ job: Job) {
        condition.lock()
        job.cancelled = true
        condition.signal()
        condition.unlock()
    }

    // MARK: - Shutdown

    /// Refuses new requests from now on; queued and running ones go on until they finish.
    func beginShutdown() {
        condition.lock()
        accepting = false
        condition.signal()
        condition.unlock()
    }

    /// Ends every queued and running request now (their streams fail with `SchedulerError.shuttingDown`).
    func cancelAll() {
        condition.lock()
        accepting = false
        for job in queue { job.cancelled = true }
        cancelRunning = true
        condition.signal()
        condition.unlock()
    }

    /// Returns once shutdown has begun and every request has finished (the scheduler thread has exited).
    func drained() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            if exited {
                condition.unlock()
                continuation.resume()
            } else {
                drainWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    // MARK: - The loop

    /// Admit, drop the cancelled, step everything running, deliver; until shut down and empty.
    private func run() {
        var running: [Job] = []
        while true {
            condition.lock()
            while running.isEmpty && queue.isEmpty && accepting { condition.wait() }
            if running.isEmpty && queue.isEmpty {
                exited = true
                let waiters = drainWaiters
                drainWaiters = []
                condition.unlock()
                waiters.forEach { $0.resume() }
                return
            }
            if cancelRunning { running.forEach { $0.cancelled = true } }
            let dropped = queue.filter(\.cancelled) + running.filter(\.cancelled)
            queue.removeAll(where: \.cancelled)
            running.removeAll(where: \.cancelled)
            var admitted: [Job] = []
            while running.count + admitted.count < parallel, !queue.isEmpty { admitted.append(queue.removeFirst()) }
            let shuttingDown = !accepting
            condition.unlock()

            for job in dropped {
                if let sequence = job.sequence { engine.retire(sequence) }
                job.continuation.finish(throwing: shuttingDown ? SchedulerError.shuttingDown : CancellationError())
            }
            for job in admitted {
                do {
                    job.sequence = try engine.makeSequence(for: job.prepared)
                    running.append(job)
                } catch {
                    job.continuation.finish(throwing: error)
                }
            }
            guard !running.isEmpty else { continue }

            let results = engine.step(running.map { $0.sequence! })
            precondition(results.count == running.count, "the engine returned \(results.count) steps for \(running.count) sequences")
            var stillRunning: [Job] = []
            for (job, result) in zip(running, results) {
                switch result {
                case let .success(step):
                    job.continuation.yield(step)
                    if step.finishReason == nil {
                        stillRunning.append(job)
                    } else {
                        engine.retire(job.sequence!)
                        job.continuation.finish()
                    }
                case let .failure(error):
                    engine.retire(job.sequence!)
                    job.continuation.finish(throwing: error)
                }
            }
            running = stillRunning
        }
    }

    // MARK: - Job

    /// A request from submission until its stream finishes.
    private final class Job {
        let prepared: PreparedCompletion
        let continuation: AsyncThrowingStream<SequenceStep, Error>.Continuation
        /// Guarded by the scheduler's `condition`.
        var cancelled = false
        /// The scheduler thread's only.
        var sequence: (any GenerationSequence)?

        init(prepared: PreparedCompletion, continuation: AsyncThrowingStream<SequenceStep, Error>.Continuation) {
            self.prepared = prepared
            self.continuation = continuation
        }
    }
}

// MARK: - SchedulerError

enum SchedulerError: Error, CustomStringConvertible {
    case shuttingDown

    var description: String {
        switch self {
        case .shuttingDown: return "the server is shutting down"
        }
    }
}
