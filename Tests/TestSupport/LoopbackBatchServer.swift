import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback OpenAI Batch API of our own: `POST /v1/files` (multipart, purpose `batch`), `POST /v1/batches`,
/// `GET /v1/batches/{id}` and `GET /v1/files/{id}/content`, with scripted ways for a batch to end.
///
/// A batch is `validating` when created, `in_progress` on its first poll, and ends on poll `pollsToFinish`
/// as its ``Ending`` says: its output file holds the answered lines (each answer from `answer`, given the
/// line's request body), its error file the rest, as OpenAI writes them. Every call is counted.
///
/// ```swift
/// let server = try LoopbackBatchServer.start { body in "[[A]]" }
/// server.endings = [.partialErrors(every: 3)]
/// // … point a BatchAPIClient at server.baseURL …
/// ```
public final class LoopbackBatchServer: @unchecked Sendable {
    /// How a batch ends (the first batch takes the first ending, and so on; later ones `.completed`).
    public enum Ending: Sendable, Hashable {
        /// Every line answered.
        case completed
        /// Every `every`-th line (1-based) fails with a 500 in the error file; the rest answered.
        case partialErrors(every: Int)
        /// The 24-hour window passed after `answered` lines: the rest in the error file as `batch_expired`.
        case expired(answered: Int)
        /// Cancelled after `answered` lines (`cancelling`, then `cancelled`): the rest as `batch_cancelled`.
        case cancelled(answered: Int)
        /// Validation failed: no files, the batch's `errors` say why.
        case failed(String)
        /// Completed, plus one output line whose `custom_id` matches no request.
        case completedWithStrayLine
    }

    public let port: Int
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    private let listener: LoopbackListener
    private let lock = NSLock()
    private let answer: @Sendable ([String: Any]) -> String
    private var files: [String: Data] = [:]
    private var batches: [String: Batch] = [:]
    private var _endings: [Ending] = []
    private var _counts = Counts()
    /// Polls before a batch ends (1: it ends on its first poll).
    public var pollsToFinish = 2

    /// Calls received, by kind.
    public struct Counts: Sendable, Hashable {
        public var uploads = 0
        public var creates = 0
        public var polls = 0
        public var downloads = 0
        /// Request lines across every uploaded file.
        public var lines = 0

        public init(uploads: Int = 0, creates: Int = 0, polls: Int = 0, downloads: Int = 0, lines: Int = 0) {
            (self.uploads, self.creates, self.polls, self.downloads, self.lines) = (uploads, creates, polls, downloads, lines)
        }
    }

    private struct Batch {
        var id: String
        var inputFileID: String
        var ending: Ending
        var polls = 0
        var status = "validating"
        var outputFileID: String?
        var errorFileID: String?
        var total = 0
        var completed = 0
        var failed = 0
        var errors: String?
    }

    public static func start(answer: @escaping @Sendable ([String: Any]) -> String) throws -> LoopbackBatchServer {
        try LoopbackBatchServer(answer: answer)
    }

    private init(answer: @escaping @Sendable ([String: Any]) -> String) throws {
        self.answer = answer
        let box = BatchServerBox()
        listener = try LoopbackListener(threads: 1) { BatchAPIHandler(box: box) }
        port = listener.port
        box.server = self
    }

    /// Closes the listening socket and every connection (idempotent: ``LoopbackListener``).
    public func stop() { listener.stop() }

    public var endings: [Ending] {
        get { lock.withLock { _endings } }
        set { lock.withLock { _endings = newValue } }
    }

    public var counts: Counts { lock.withLock { _counts } }

    /// Every line of every uploaded input file, in upload order.
    public var uploadedLines: [[String: Any]] {
        lock.withLock {
            files.filter { $0.key.hasPrefix("file-in-") }.sorted { $0.key < $1.key }.map(\.value).flatMap { data in
                String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
                }
            }
        }
    }

    // MARK: - Routes

    /// (status, JSON or file body) for one request.
    func respond(method: HTTPMethod, path: String, contentType: String?, body: Data) -> (Int, Data) {
        lock.withLock {
            let parts = path.split(separator: "/").map(String.init)  // ["v1", "files", …]
            switch (method, parts.dropFirst().first, parts.count) {
            case (.POST, "files", 2):
                guard let file = Self.multipartFile(body, contentType: contentType) else {
                    return (400, Self.error("Expected multipart/form-data with a 'file' part and purpose 'batch'."))
                }
                _counts.uploads += 1
                _counts.lines += String(decoding: file, as: UTF8.self).split(separator: "\n").count
                let id = "file-in-\(files.count + 1)"
                files[id] = file
                return (200, Self.json(["id": id, "object": "file", "bytes": file.count, "purpose": "batch", "filename": "input.jsonl"]))
            case (.POST, "batches", 2):
                guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
                      let input = object["input_file_id"] as? String, files[input] != nil,
                      object["endpoint"] as? String == "/v1/chat/completions", object["completion_window"] as? String == "24h" else {
                    return (400, Self.error("Expected input_file_id of an uploaded file, endpoint /v1/chat/completions, completion_window 24h."))
                }
                _counts.creates += 1
                let ending = _endings.isEmpty ? .completed : _endings.removeFirst()
                let id = "batch_\(batches.count + 1)"
                var batch = Batch(id: id, inputFileID: input, ending: ending)
                batch.total = String(decoding: files[input]!, as: UTF8.self).split(separator: "\n").count
                batches[id] = batch
                return (200, Self.json(batchObject(batch)))
            case (.GET, "batches", 3):
                guard var batch = batches[parts[2]] else { return (404, Self.error("No batch with id '\(parts[2])'.")) }
                _counts.polls += 1
                batch.polls += 1
                if batch.polls >= pollsToFinish, !["completed", "failed", "expired", "cancelled"].contains(batch.status) {
                    if case .cancelled = batch.ending, batch.status != "cancelling" {
                        batch.status = "cancelling"  // as OpenAI does: cancelling first, cancelled on a later poll
                    } else {
                        finish(&batch)
                    }
                } else if batch.status == "validating" {
                    batch.status = "in_progress"
                }
                batches[batch.id] = batch
                return (200, Self.json(batchObject(batch)))
            case (.GET, "files", 4) where parts[3] == "content":
                guard let data = files[parts[2]] else { return (404, Self.error("No file with id '\(parts[2])'.")) }
                _counts.downloads += 1
                return (200, data)
            default:
                return (404, Self.error("Unknown request URL: \(method.rawValue) \(path)."))
            }
        }
    }

    /// Ends a batch as scripted, writing its output and error files.
    private func finish(_ batch: inout Batch) {
        let lines = String(decoding: files[batch.inputFileID]!, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        var output: [[String: Any]] = []
        var errors: [[String: Any]] = []
        for (index, line) in lines.enumerated() {
            let id = line["custom_id"] as? String ?? ""
            let body = line["body"] as? [String: Any] ?? [:]
            let reply: [String: Any] = [
                "id": "batch_req_\(index)", "custom_id": id, "error": NSNull(),
                "response": ["status_code": 200, "request_id": "req_\(index)", "body": Self.completion(answer(body), model: body["model"])],
            ]
            switch batch.ending {
            case .completed, .completedWithStrayLine:
                output.append(reply)
            case .partialErrors(let every):
                if (index + 1) % every == 0 {
                    errors.append(["id": "batch_req_\(index)", "custom_id": id, "error": NSNull(), "response": [
                        "status_code": 500, "request_id": "req_\(index)",
                        "body": ["error": ["message": "The server had an error processing your request.", "type": "server_error"]],
                    ]])
                } else {
                    output.append(reply)
                }
            case .expired(let answered), .cancelled(let answered):
                if index < answered {
                    output.append(reply)
                } else {
                    let code = batch.ending == .expired(answered: answered) ? "batch_expired" : "batch_cancelled"
                    errors.append(["id": "batch_req_\(index)", "custom_id": id, "response": NSNull(),
                                   "error": ["code": code, "message": "This request could not be executed before the batch ended."]])
                }
            case .failed:
                break
            }
        }
        if batch.ending == .completedWithStrayLine {
            var stray = output.first ?? [:]
            stray["custom_id"] = "no-such-request"
            output.append(stray)
        }
        switch batch.ending {
        case .failed(let reason):
            batch.status = "failed"
            batch.errors = reason
            return
        case .expired: batch.status = "expired"
        case .cancelled: batch.status = "cancelled"
        default: batch.status = "completed"
        }
        batch.completed = output.count - (batch.ending == .completedWithStrayLine ? 1 : 0)
        batch.failed = errors.count
        if !output.isEmpty {
            batch.outputFileID = "file-out-\(batch.id)"
            files[batch.outputFileID!] = Self.jsonl(output)
        }
        if !errors.isEmpty {
            batch.errorFileID = "file-err-\(batch.id)"
            files[batch.errorFileID!] = Self.jsonl(errors)
        }
    }

    private func batchObject(_ batch: Batch) -> [String: Any] {
        [
            "id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "completion_window": "24h",
            "input_file_id": batch.inputFileID, "status": batch.status, "created_at": 1_700_000_000,
            "output_file_id": batch.outputFileID ?? NSNull(), "error_file_id": batch.errorFileID ?? NSNull(),
            "request_counts": ["total": batch.total, "completed": batch.completed, "failed": batch.failed],
            "errors": batch.errors.map { ["object": "list", "data": [["code": "invalid_request", "message": $0, "line": 1]]] } ?? NSNull(),
        ]
    }

    // MARK: - Encoding

    static func completion(_ content: String, model: Any?) -> [String: Any] {
        [
            "id": "chatcmpl-batch", "object": "chat.completion", "created": 1_700_000_000, "model": model ?? "loopback",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop", "logprobs": NSNull()]],
            "usage": ["prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110],
        ]
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func jsonl(_ lines: [[String: Any]]) -> Data {
        Data(lines.map { String(decoding: json($0), as: UTF8.self) }.joined(separator: "\n").utf8 + [0x0A])
    }

    static func error(_ message: String) -> Data {
        json(["error": ["message": message, "type": "invalid_request_error", "param": NSNull(), "code": NSNull()]])
    }

    /// The `file` part of a multipart body whose `purpose` part is `batch`.
    static func multipartFile(_ body: Data, contentType: String?) -> Data? {
        guard let contentType, let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = Data("--\(contentType[range.upperBound...])".utf8)
        var file: Data?
        var purpose: String?
        var rest = body[...]
        while let start = rest.range(of: boundary) {
            rest = rest[start.upperBound...]
            guard let headerEnd = rest.range(of: Data("\r\n\r\n".utf8)) else { break }
            let headers = String(decoding: rest[..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = rest[contentStart...].range(of: boundary) else { break }
            var content = rest[contentStart..<next.lowerBound]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            if headers.contains("name=\"file\"") { file = Data(content) }
            if headers.contains("name=\"purpose\"") { purpose = String(decoding: content, as: UTF8.self) }
            rest = rest[next.lowerBound...]
        }
        return purpose == "batch" ? file : nil
    }
}

final class BatchServerBox: @unchecked Sendable {
    weak var server: LoopbackBatchServer?
}

/// One connection: gathers a request and answers it from the server's state.
final class BatchAPIHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: BatchServerBox
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(box: BatchServerBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head, let server = box.server else { return }
            self.head = nil
            let path = String(head.uri.prefix { $0 != "?" })
            let (status, reply) = server.respond(method: head.method, path: path, contentType: head.headers.first(name: "content-type"),
                                                 body: Data(body.readableBytesView))
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(reply.count))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status),
                                                                 headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: reply.count)
            buffer.writeBytes(reply)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
