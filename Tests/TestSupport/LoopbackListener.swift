import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

// MARK: - LoopbackListener

/// A listening socket on 127.0.0.1 (a port the system picks) whose connections speak HTTP/1.1, each to a
/// fresh handler from `handler()`: what the loopback test servers (chat completions, Batch API) share.
///
/// `stop()` is idempotent. A test may stop a server mid-run and again in its `defer`; a second
/// `close().wait()` on the shut-down event loop waits forever (it once hung CI for its whole 90 minutes).
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let lock = NSLock()
    private var stopped = false

    init(threads: Int, handler: @escaping @Sendable () -> any ChannelHandler) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(handler())
                }
            }
        do {
            channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        port = channel.localAddress?.port ?? 0
    }

    /// Closes the listening socket and every connection, and stops the threads; later calls do nothing.
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}
