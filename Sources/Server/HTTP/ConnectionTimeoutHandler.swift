import NIOCore

// MARK: - ConnectionEvent

/// What the HTTP layer tells ``ConnectionTimeoutHandler`` (as outbound user events), so it knows which
/// timeout applies.
enum ConnectionEvent: Sendable {
    /// A request's head has been read; its body comes next.
    case requestHead
    /// A request has been read in full; the server is answering (no timeout while it does).
    case requestEnd
    /// The answer has been written; the connection waits for the next request.
    case responseEnd
}

// MARK: - ConnectionTimeoutHandler

/// The first handler of each connection: closes it when the client is idle too long between requests, or
/// is too slow to send a request's head or body (``ConnectionLimits``). It sees the raw bytes, so a head
/// that never ends is caught before any HTTP parsing completes.
///
/// Phases: idle (waiting for a request) → head (first byte seen) → body (`requestHead`) → answering
/// (`requestEnd`, no timeout: generations take as long as they take) → idle (`responseEnd`).
final class ConnectionTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case idle, head, body, answering }

    private let limits: ConnectionLimits
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?
    /// Bumped by every arm and disarm: a timer fires only if it is still the latest one armed, so a timer
    /// whose cancellation came too late (already dequeued) can never close a connection that moved on.
    private var generation = 0

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.idleTimeout, context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(limits.idleTimeout, context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle {
            phase = .head
            arm(limits.headerTimeout, context: context)
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .requestHead:
            phase = .body
            arm(limits.bodyTimeout, context: context)
        case .requestEnd:
            phase = .answering
            disarm()
        case .responseEnd:
            // A pipelined request may already have moved on to its head or body: keep its timeout.
            if phase == .answering {
                phase = .idle
                arm(limits.idleTimeout, context: context)
            }
        }
        promise?.succeed(())
    }

    // MARK: - Timer

    private func arm(_ timeout: Duration, context: ChannelHandlerContext) {
        disarm()
        let armed = generation
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        // NIO clamps a Duration beyond its range to the largest TimeAmount, never wrapping to a negative time.
        timer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let (handler, context) = loopBound.value
            guard handler.generation == armed, context.channel.isActive else { return }
            handler.expire(context: context)
        }
    }

    private func disarm() {
        generation &+= 1
        timer?.cancel()
        timer = nil
    }

    /// An idle connection closes silently; a half-sent request gets `408` first.
    private func expire(context: ChannelHandlerContext) {
        timer = nil
        guard phase != .idle else {
            context.close(promise: nil)
            return
        }
        let what = phase == .head ? "head" : "body"
        let body = "request \(what) not received within \(phase == .head ? limits.headerTimeout : limits.bodyTimeout)\n"
        let response = "HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: text/plain\r\n"
            + "content-length: \(body.utf8.count)\r\n\r\n" + body
        let buffer = context.channel.allocator.buffer(string: response)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in context.close(promise: nil) }
    }
}
