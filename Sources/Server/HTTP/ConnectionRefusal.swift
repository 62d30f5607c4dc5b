import NIOCore

// MARK: - ConnectionRefusal

/// The whole pipeline of a connection beyond ``ConnectionLimits/maxConnections``: answers
/// `503 Service Unavailable` with `retry-after` and closes, without reading anything.
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let response: String = {
        let body = "too many connections; retry later\n"
        return "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 1\r\n"
            + "content-type: text/plain\r\ncontent-length: \(body.utf8.count)\r\n\r\n" + body
    }()

    func channelActive(context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
