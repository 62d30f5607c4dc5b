import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT delivered through a pipe: our own handler writes a byte, a dispatch read source reads it.
///
/// Why not `DispatchSource.makeSignalSource`: on Linux, after one scope's signal source was cancelled, the next
/// scope's source in the same process never fired, and SIGINT (set to `SIG_IGN` for it) was lost — a test binary
/// running `ComparePipelineTests` before `InterruptCancellationTests` failed every time
/// (`InterruptCancellationTests.testASecondScopeStillCatchesTheInterrupt`). Here every scope installs the handler
/// itself with `sigaction`, synchronously, and a byte written before the read source is armed waits in the pipe
/// instead of being lost.
final class InterruptPipe: @unchecked Sendable {
    private let source: DispatchSourceRead
    private var previous = sigaction()

    /// Starts watching: `onInterrupt` runs on a global queue once per SIGINT until ``stop()``.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        let fds = InterruptPipe.fds
        InterruptPipe.drain(fds.read)  // an interrupt of an earlier scope is not this one's
        source = DispatchSource.makeReadSource(fileDescriptor: fds.read, queue: .global())
        source.setEventHandler {
            for _ in 0..<InterruptPipe.drain(fds.read) { onInterrupt() }
        }
        source.resume()
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = interruptPipeHandler
        #else
        action.__sigaction_u.__sa_handler = interruptPipeHandler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, &previous)
    }

    /// Restores the SIGINT disposition there was before ``init(onInterrupt:)`` and stops reading.
    func stop() {
        sigaction(SIGINT, &previous, nil)
        source.cancel()
    }

    // MARK: - The pipe

    /// Made once per process, both ends non-blocking: the handler must never block, and a full pipe (65,536
    /// interrupts unread) only drops bytes that would change nothing.
    static let fds: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("interrupt pipe: \(String(cString: strerror(errno)))") }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        interruptPipeWriteEnd = ends[1]
        return (ends[0], ends[1])
    }()

    /// Reads every byte waiting; returns how many there were.
    @discardableResult
    static func drain(_ fd: Int32) -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return total }
            total += count
        }
    }
}

/// The pipe's write end, for the signal handler: a plain global it reads without any lazy initialization
/// (set by ``InterruptPipe/fds`` before any handler is installed).
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// Async-signal-safe: one `write(2)`.
private let interruptPipeHandler: @convention(c) (Int32) -> Void = { _ in
    var byte: UInt8 = 1
    _ = write(interruptPipeWriteEnd, &byte, 1)
}
