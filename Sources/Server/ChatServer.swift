import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

// MARK: - ChatServer

/// An OpenAI-compatible chat-completions server over a `CompletionEngine`:
/// `POST /v1/chat/completions` (plain and streamed), `GET /v1/models`, `GET /v1/models/{id}`, and
/// `GET /health` for load balancers (never behind the API key).
///
/// Requests run through one `BatchScheduler`, so up to `parallel` generations advance together and the rest
/// queue. `shutdown(gracePeriod:)` stops accepting, lets running generations finish for a while, then
/// cancels what is left and closes every connection.
///
/// ```swift
/// let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, parallel: 4))
/// let port = try await server.start()      // port 0 → a free port
/// …
/// await server.shutdown(gracePeriod: .seconds(5))
/// ```
public final class ChatServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; `start()` returns the one bound.
        public var port: Int
        /// The most generations stepped together.
        public var parallel: Int
        /// The largest request body accepted (413 beyond it).
        public var bodyLimit: Int
        /// Timeouts and the cap on open connections.
        public var limits: ConnectionLimits
        /// When set, every route but `GET /health` requires `Authorization: Bearer apiKey` (401 otherwise).
        public var apiKey: String?

        public init(host: String = "127.0.0.1", port: Int = 8080, parallel: Int = 4, bodyLimit: Int = 16 << 20,
                    limits: ConnectionLimits = ConnectionLimits(), apiKey: String? = nil) {
            self.host = host
            self.port = port
            self.parallel = parallel
            self.bodyLimit = bodyLimit
            self.limits = limits
            self.apiKey = apiKey
        }
    }

    public let configuration: Configuration
    let engine: any CompletionEngine
    let scheduler: BatchScheduler
    private let group: MultiThreadedEventLoopGroup
    private let connections = ConnectionRegistry()
    private let lock = NSLock()
    private var serverChannel: Channel?

    public init(engine: any CompletionEngine, configuration: Configuration = Configuration()) {
        self.engine = engine
        self.configuration = configuration
        scheduler = BatchScheduler(engine: engine, parallel: configuration.parallel)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    // MARK: - Lifecycle

    /// Binds and starts serving; returns the bound port.
    /// - Throws: `ServerError.bind` when the address cannot be bound (in use, no such interface).
    @discardableResult
    public func start() async throws -> Int {
        let router = makeRouter()
        let bodyLimit = configuration.bodyLimit
        let connections = connections
        let limits = configuration.limits
        let maxConnections = limits.effectiveMaxConnections
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // Beyond the cap: refuse at once, so descriptors never run out and nothing spins on accept.
                guard connections.insert(channel, limit: maxConnections) else {
                    return channel.pipeline.addHandler(ConnectionRefusal())
                }
                channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                return channel.pipeline.addHandler(ConnectionTimeoutHandler(limits: limits)).flatMap {
                    channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                }.flatMap {
                    channel.pipeline.addHandler(HTTPChannelHandler(router: router, connections: connections, bodyLimit: bodyLimit))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            // A client may shut down its sending side after a request and still wait for the answer.
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            throw ServerError.bind(host: configuration.host, port: configuration.port, reason: "\(error)")
        }
        lock.withLock { serverChannel = channel }
        return channel.localAddress?.port ?? configuration.port
    }

    /// How many connections are open (refused ones not counted).
    var openConnections: Int { connections.count }

    /// The bound port (nil before `start()`).
    public var port: Int? { lock.withLock { serverChannel?.localAddress?.port } }

    /// Stops accepting connections and requests, lets running generations finish for up to `gracePeriod`,
    /// cancels what is still running, closes every connection and stops the event loop.
    public func shutdown(gracePeriod: Duration = .seconds(5)) async {
        let channel = lock.withLock { () -> Channel? in
            defer { serverChannel = nil }
            return serverChannel
        }
        _ = try? await channel?.close()
        scheduler.beginShutdown()
        let scheduler = scheduler
        let cancelled = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await scheduler.drained(); return false }
            group.addTask {
                do { try await Task.sleep(for: gracePeriod) } catch { return false }
                scheduler.cancelAll()
                return true
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        if cancelled { await scheduler.drained() }
        // Every generation has ended; let the handlers write their last bytes (a client that does not read
        // cannot hold shutdown up: its connection is closed after another grace period).
        let connections = connections
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await connections.requestsFinished() }
            group.addTask { try? await Task.sleep(for: gracePeriod + .seconds(10)) }
            await group.next()
            group.cancelAll()
        }
        await connections.closeAll()
        try? await group.shutdownGracefully()
    }

    /// Cancels every queued and running generation now (a second Ctrl-C during shutdown).
    public func cancelInFlight() {
        scheduler.cancelAll()
    }

    // MARK: - Routes

    private func makeRouter() -> Router {
        let chat = ChatCompletionsHandler(engine: engine, scheduler: scheduler)
        let models = ModelsHandler(modelID: engine.modelID, created: Int(Date().timeIntervalSince1970))
        let authorization = configuration.apiKey.map(BearerAuthorization.init(key:))
        /// A handler behind the API key, when there is one.
        func guarded(_ handler: @escaping Router.Handler) -> Router.Handler {
            guard let authorization else { return handler }
            return { request, parameter, responder in
                if let refusal = authorization.refusal(for: request) {
                    await responder.send(refusal)
                } else {
                    await handler(request, parameter, responder)
                }
            }
        }
        var router = Router()
        router.add(.POST, "/v1/chat/completions", guarded { request, _, responder in await chat.respond(to: request, with: responder) })
        router.add(.GET, "/v1/models", guarded { _, _, responder in await models.list(responder) })
        router.add(.GET, "/v1/models/*", guarded { _, id, responder in await models.retrieve(id ?? "", responder) })
        let (scheduler, modelID) = (scheduler, engine.modelID)
        router.add(.GET, "/health") { _, _, responder in
            await responder.send(.ok, json: ["status": "ok", "model": .string(modelID), "queued": .integer(scheduler.queuedCount)])
        }
        return router
    }
}

// MARK: - ServerError

public enum ServerError: Error, CustomStringConvertible {
    case bind(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case let .bind(host, port, reason):
            return "cannot listen on \(host):\(port): \(reason); choose another --port (0 picks a free one) or --host"
        }
    }
}

// MARK: - ConnectionRegistry

/// The open connections and the requests being answered, so shutdown can let the last replies out and
/// then close every connection, idle keep-alive ones included.
final class ConnectionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var channels: [ObjectIdentifier: Channel] = [:]
    private var requests = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// Registers a connection unless `limit` are open already.
    func insert(_ channel: Channel, limit: Int) -> Bool {
        lock.withLock {
            guard channels.count < limit else { return false }
            channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    var count: Int { lock.withLock { channels.count } }
    func remove(_ channel: Channel) { lock.withLock { _ = channels.removeValue(forKey: ObjectIdentifier(channel)) } }

    /// Runs one request's handler, counted.
    func answer(_ body: () async -> Void) async {
        lock.withLock { requests += 1 }
        await body()
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            requests -= 1
            guard requests == 0 else { return [] }
            defer { idleWaiters = [] }
            return idleWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when no request is being answered.
    func requestsFinished() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if requests == 0 {
                lock.unlock()
                continuation.resume()
            } else {
                idleWaiters.append(continuation)
                lock.unlock()
            }
        }
    }

    func closeAll() async {
        let open = lock.withLock { Array(channels.values) }
        for channel in open { _ = try? await channel.close() }
    }
}
