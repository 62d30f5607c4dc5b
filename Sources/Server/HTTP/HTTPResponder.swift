import NIOCore
import NIOHTTP1
import OpenAIWire

// MARK: - HTTPResponder

/// Writes the response to one request: either whole (`send`) or as a server-sent-event stream
/// (`startEvents`, `sendEvent`…, `endEvents`). Safe to use from any task; writes hop to the channel's loop.
struct HTTPResponder: Sendable {
    let channel: Channel
    let version: HTTPVersion
    /// Whether the connection stays open after this response.
    let keepAlive: Bool

    // MARK: - Whole responses

    /// A JSON response with a content length.
    func send(_ status: HTTPResponseStatus, json: JSONValue, headers extra: [(String, String)] = []) async {
        let body = json.serialized()
        var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(body.count))])
        headers.add(contentsOf: extra)
        await writeHead(status, headers: headers)
        var buffer = channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        _ = try? await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)))
        await end()
    }

    /// OpenAI's error body with the error's status.
    func send(_ error: APIError) async {
        let extra: [(String, String)] = error.status == .serviceUnavailable ? [("retry-after", "1")] : []
        await send(error.status, json: error.body, headers: extra)
    }

    // MARK: - Server-sent events

    /// The head of an event stream (chunked on HTTP/1.1; on HTTP/1.0 the closing connection ends it).
    func startEvents() async {
        await writeHead(.ok, headers: HTTPHeaders([("content-type", "text/event-stream"), ("cache-control", "no-cache")]))
    }

    /// One event: `data: <json>\n\n`.
    /// - Throws: when the client is gone (the generation behind the stream should stop).
    func sendEvent(_ json: JSONValue) async throws {
        try await sendEvent(raw: json.serialized())
    }

    /// `data: [DONE]\n\n`, then the end of the response.
    func endEvents() async {
        _ = try? await sendEvent(raw: Array("[DONE]".utf8))
        await end()
    }

    private func sendEvent(raw payload: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: payload.count + 8)
        buffer.writeString("data: ")
        buffer.writeBytes(payload)
        buffer.writeString("\n\n")
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)))
    }

    // MARK: - Framing

    private var closesAfterResponse: Bool { !keepAlive || version < .http1_1 }

    private func writeHead(_ status: HTTPResponseStatus, headers: HTTPHeaders) async {
        var headers = headers
        headers.replaceOrAdd(name: "connection", value: closesAfterResponse ? "close" : "keep-alive")
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        _ = try? await channel.writeAndFlush(HTTPServerResponsePart.head(head))
    }

    private func end() async {
        _ = try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        if closesAfterResponse {
            _ = try? await channel.close()
        } else {
            _ = try? await channel.triggerUserOutboundEvent(ConnectionEvent.responseEnd)
        }
    }
}

private extension HTTPVersion {
    static func < (lhs: HTTPVersion, rhs: HTTPVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
