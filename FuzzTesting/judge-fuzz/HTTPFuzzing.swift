import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import Server

// MARK: - HTTP requests

/// Feeds the bytes, in two reads split where the first byte says, through the pipeline every `judge serve`
/// connection has (timeouts, NIO's HTTP/1 parser with its error handling, pipelining), ending in a handler
/// that answers each request at once, as the real one does, and builds our `HTTPRequest` from it.
enum HTTPFuzzing {
    static func prepare() {}

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let split = rest.isEmpty ? 0 : Int(selector) % (rest.count + 1)
        let channel = EmbeddedChannel()
        defer {
            // Closing tears the pipeline down in tasks the embedded loop runs only when asked: run them, or
            // every closed connection's handlers stay in a cycle (a leak of the harness, not of the server,
            // whose loops run their tasks).
            _ = try? channel.finish(acceptAlreadyClosed: true)
            channel.embeddedEventLoop.run()
        }
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionTimeoutHandler(limits: ConnectionLimits()))
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(AnsweringHandler())
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
            for part in [rest[..<split], rest[split...]] where channel.isActive {
                try channel.writeInbound(channel.allocator.buffer(bytes: part))
                while let _ = try channel.readOutbound(as: ByteBuffer.self) {}
            }
        } catch {
            return
        }
    }

    /// Answers every request with an empty 200 as soon as its end arrives.
    final class AnsweringHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(head):
                self.head = head
                body = []
                context.triggerUserOutboundEvent(ConnectionEvent.requestHead, promise: nil)
            case let .body(chunk):
                if body.count < 1 << 16 { body += chunk.readableBytesView.prefix(1 << 16) }
            case .end:
                guard let head else { return }
                let request = HTTPRequest(head: head, body: body)
                blackHole(request.path)
                context.triggerUserOutboundEvent(ConnectionEvent.requestEnd, promise: nil)
                let response = HTTPResponseHead(version: head.version, status: .ok, headers: ["content-length": "0"])
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                context.triggerUserOutboundEvent(ConnectionEvent.responseEnd, promise: nil)
                self.head = nil
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }
}
