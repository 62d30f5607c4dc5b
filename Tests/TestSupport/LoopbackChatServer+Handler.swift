import Foundation
import NIOCore
import NIOHTTP1

/// One connection's handler: gathers a request, asks the server what to do, does it.
final class ChatCompletionsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ServerBox
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var connection = 0

    init(server: ServerBox) { self.server = server }

    func channelActive(context: ChannelHandlerContext) {
        connection = server.server?.newConnection() ?? 0
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            let path = String(head.uri.prefix { $0 != "?" })
            guard head.method == .POST, path.hasSuffix("/chat/completions"), let server = server.server else {
                let message = "Unknown request URL: \(head.method.rawValue) \(path)."
                respond(context, head: head, status: 404, headers: [:],
                        body: Data(LoopbackChatServer.errorJSON(message, type: "invalid_request_error", status: 404).utf8)) {}
                return
            }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { RecordedRequest.Header(name: $0.name, value: $0.value) },
                body: Data(body.readableBytesView), connection: connection)
            perform(server.record(request), request: request, head: head, context: context) { server.finished() }
        }
    }

    private func perform(_ behavior: LoopbackChatServer.Behavior, request: RecordedRequest, head: HTTPRequestHead,
                         context: ChannelHandlerContext, done: @escaping () -> Void) {
        switch behavior {
        case .completion(let reply):
            let model = request.jsonObject?["model"] as? String
            respond(context, head: head, status: 200, headers: ["Content-Type": "application/json"],
                    body: reply.json(requestedModel: model), done: done)
        case .raw(let status, let headers, let body):
            respond(context, head: head, status: status, headers: headers, body: Data(body.utf8), done: done)
        case .delayed(let delay, let then):
            let (seconds, attoseconds) = delay.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                guard context.channel.isActive else { return done() }
                self.perform(then, request: request, head: head, context: context, done: done)
            }
        case .dropConnection:
            context.close(promise: nil)
            done()
        case .closeMidResponse(let reply, let bytes):
            let full = reply.json(requestedModel: request.jsonObject?["model"] as? String)
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(full.count))])
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                          promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: bytes)
            buffer.writeBytes(full.prefix(max(0, min(bytes, full.count - 1))))
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).whenComplete { _ in
                context.close(promise: nil)
                done()
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, headers extra: [String: String],
                         body: Data, done: @escaping () -> Void) {
        var headers = HTTPHeaders()
        for (name, value) in extra { headers.add(name: name, value: value) }
        if headers["Content-Type"].isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status),
                                            headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
            done()
        }
    }
}
