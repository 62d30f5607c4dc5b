import NIOCore
import NIOHTTP1

// MARK: - HTTPChannelHandler

/// The last handler of each connection's pipeline: gathers a request (head and body, up to `bodyLimit`
/// bytes), hands it to the router on a task, and cancels that task when the client disconnects — which
/// ends the request's generation.
///
/// NIO's pipelining handler, in front of this one, holds back a connection's next request until the
/// current response has ended, so there is at most one request in flight per connection.
///
/// It tells ``ConnectionTimeoutHandler`` where each request stands, closes the connection after a
/// malformed request (NIO has answered it `400` with `Connection: close`), and answers a request whose
/// client half-closed its side after sending it, closing once the answer is out.
final class HTTPChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let connections: ConnectionRegistry
    private let bodyLimit: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var task: Task<Void, Never>?
    /// A request has been read and is being answered.
    private var answering = false
    /// The client has shut down its sending side: close once the current answer (if any) is out.
    private var inputClosed = false

    init(router: Router, connections: ConnectionRegistry, bodyLimit: Int) {
        self.router = router
        self.connections = connections
        self.bodyLimit = bodyLimit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
            context.triggerUserOutboundEvent(ConnectionEvent.requestHead, promise: nil)
            // Clients that ask before sending a body (curl does for large POSTs) get the go-ahead at once.
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let goAhead = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(goAhead)), promise: nil)
            }
        case let .body(chunk):
            if body.count + chunk.readableBytes > bodyLimit {
                bodyTooLarge = true
                body = []
            } else if !bodyTooLarge {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let responder = HTTPResponder(channel: context.channel, version: head.version, keepAlive: head.isKeepAlive)
            let request = HTTPRequest(head: head, body: body)
            body = []
            let (router, connections, tooLarge, limit) = (router, connections, bodyTooLarge, bodyLimit)
            context.triggerUserOutboundEvent(ConnectionEvent.requestEnd, promise: nil)
            answering = true
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            task = Task {
                await connections.answer {
                    if tooLarge {
                        await responder.send(.bodyTooLarge(limit: limit))
                    } else {
                        await router.respond(to: request, with: responder)
                    }
                    // Scheduled while the request still counts as running: shutdown waits for that before it
                    // stops the event loop, so this never lands on a loop already shut down (NIO logs that,
                    // and will make it a crash).
                    eventLoop.execute {
                        let (handler, context) = loopBound.value
                        handler.answering = false
                        if handler.inputClosed { context.close(promise: nil) }
                    }
                }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            // Nothing more will come: close now, or after the answer being written.
            inputClosed = true
            if !answering { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A malformed request: NIO's error handler has written `400` with `Connection: close`; keep the promise.
        if error is HTTPParserError {
            context.close(promise: nil)
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        task = nil
        context.fireChannelInactive()
    }
}
