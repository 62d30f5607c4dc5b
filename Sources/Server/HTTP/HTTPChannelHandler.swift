import NIOCore
import NIOHTTP1

// MARK: - HTTPChannelHandler

/// The last handler of each connection's pipeline: gathers a request (head and body, up to `bodyLimit`
/// bytes), hands it to the router on a task, and cancels that task when the client disconnects — which
/// ends the request's generation.
///
/// NIO's pipelining handler, in front of this one, holds back a connection's next request until the
/// current response has ended, so there is at most one request in flight per connection.
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
            task = Task {
                await connections.answer {
                    if tooLarge {
                        await responder.send(.bodyTooLarge(limit: limit))
                    } else {
                        await router.respond(to: request, with: responder)
                    }
                }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        task = nil
        context.fireChannelInactive()
    }
}
