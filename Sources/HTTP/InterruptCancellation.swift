import Dispatch
import Foundation

/// Runs `operation` in a task that Ctrl-C (SIGINT) cancels, so a command's HTTP transfers stop cleanly.
///
/// ```swift
/// let summary = try await withCancellationOnInterrupt { try await run.judgeAll() }
/// ```
///
/// The first Ctrl-C cancels the task: in-flight transfers are removed at once, `send` throws
/// `CancellationError`, and the command can save what it has and exit. A second Ctrl-C exits at once with
/// status 130. The previous SIGINT disposition is restored when `operation` returns.
/// Meant for a command's top level: only one such scope should be active in a process at a time.
public func withCancellationOnInterrupt<T: Sendable>(
    notice: String = "interrupted: stopping (Ctrl-C again to quit at once)",
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let task = Task { try await operation() }
    let interrupts = InterruptCount()
    let watch = InterruptPipe {
        if interrupts.increment() > 1 { exit(130) }
        FileHandle.standardError.write(Data((notice + "\n").utf8))
        task.cancel()
    }
    defer { watch.stop() }
    return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
}

private final class InterruptCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
