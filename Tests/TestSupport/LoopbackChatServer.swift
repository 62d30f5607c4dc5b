import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that speaks OpenAI's chat completions, scripted by tests.
///
/// ```swift
/// let server = try LoopbackChatServer.start()
/// defer { server.stop() }
/// server.enqueue(.rateLimited(retryAfter: "1"), .reply("[[A]]"))
/// // … point a client at server.baseURL (http://127.0.0.1:PORT/v1) …
/// XCTAssertEqual(server.requests.count, 2)
/// ```
///
/// Each `POST …/chat/completions` takes the next queued ``Behavior``; when the queue is empty the
/// `responder` decides (default: reply with `defaultContent`). Any other method or path gets 404 with
/// OpenAI's error JSON. Every request is recorded, in arrival order, before it is answered.
/// Binds port 0, so tests never collide. Thread-safe: the queue and records are locked.
public final class LoopbackChatServer: @unchecked Sendable {
    public let port: Int
    private let listener: LoopbackListener

    private let lock = NSLock()
    private var queue: [Behavior] = []
    private var recorded: [RecordedRequest] = []
    private var _responder: @Sendable (RecordedRequest) -> Behavior
    private var connections = 0
    private var inFlight = 0
    private var _peakInFlight = 0

    /// `http://127.0.0.1:PORT/v1`, the base URL an OpenAI client expects.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// Starts a server; `threads` event-loop threads serve the connections.
    public static func start(
        threads: Int = 1,
        responder: @escaping @Sendable (RecordedRequest) -> Behavior = { _ in .reply("[[C]]") }
    ) throws -> LoopbackChatServer {
        try LoopbackChatServer(threads: threads, responder: responder)
    }

    private init(threads: Int, responder: @escaping @Sendable (RecordedRequest) -> Behavior) throws {
        _responder = responder
        let box = ServerBox()
        listener = try LoopbackListener(threads: threads) { ChatCompletionsHandler(server: box) }
        port = listener.port
        box.server = self
    }

    /// Closes the listening socket and every connection, and stops the threads (idempotent: ``LoopbackListener``).
    public func stop() { listener.stop() }

    // MARK: - Scripting

    /// Appends behaviours for the next requests, in order.
    public func enqueue(_ behaviors: Behavior...) {
        lock.withLock { queue.append(contentsOf: behaviors) }
    }

    /// Decides requests once the queue is empty.
    public var responder: @Sendable (RecordedRequest) -> Behavior {
        get { lock.withLock { _responder } }
        set { lock.withLock { _responder = newValue } }
    }

    // MARK: - Records

    /// Every chat-completions request received so far, in arrival order.
    public var requests: [RecordedRequest] { lock.withLock { recorded } }

    /// Behaviours still queued.
    public var queuedCount: Int { lock.withLock { queue.count } }

    /// The most requests that were being answered at one time (received, response not yet finished).
    public var peakInFlight: Int { lock.withLock { _peakInFlight } }

    /// Connections accepted so far.
    public var connectionCount: Int { lock.withLock { connections } }

    func newConnection() -> Int {
        lock.withLock {
            connections += 1
            return connections
        }
    }

    func record(_ request: RecordedRequest) -> Behavior {
        lock.withLock {
            recorded.append(request)
            inFlight += 1
            _peakInFlight = max(_peakInFlight, inFlight)
            return queue.isEmpty ? _responder(request) : queue.removeFirst()
        }
    }

    func finished() {
        lock.withLock { inFlight -= 1 }
    }
}

/// Lets the child-channel initializer reach the server before `init` finishes (set right after bind).
final class ServerBox: @unchecked Sendable {
    weak var server: LoopbackChatServer?
}
