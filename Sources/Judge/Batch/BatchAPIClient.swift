import ChatCompletions
import Foundation
import OpenAIWire
import HTTP

/// OpenAI's Batch API, the four calls judge needs: upload a JSONL of requests (`POST /files`, purpose
/// `batch`), create the batch (`POST /batches`), read its status (`GET /batches/{id}`), and download its
/// output and error files (`GET /files/{id}/content`).
///
/// The key is read once from the environment variable named by `apiKeyEnvironmentVariable` and sent as
/// `Authorization: Bearer`; it never appears in errors. Transient failures (429, 5xx, dropped connections)
/// are retried a few times with backoff; anything else throws ``BatchAPIError``.
public struct BatchAPIClient: Sendable {
    public let baseURL: URL
    private let http: HTTPClient
    private let apiKey: String?
    private let retry: RetryPolicy

    public init(baseURL: URL, apiKeyEnvironmentVariable: String? = "OPENAI_API_KEY", http: HTTPClient,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 4),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.baseURL = baseURL
        self.http = http
        self.retry = retry
        let key = apiKeyEnvironmentVariable.flatMap { environment[$0] }?.trimmingCharacters(in: .whitespacesAndNewlines)
        apiKey = (key?.isEmpty ?? true) ? nil : key
    }

    // MARK: - Calls

    /// Uploads `jsonl` with purpose `batch`; returns the file id.
    public func upload(_ jsonl: Data, filename: String) async throws -> String {
        let boundary = "judge-\(UUID().uuidString)"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        part("Content-Disposition: form-data; name=\"purpose\"", Data("batch".utf8))
        part("Content-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/jsonl", jsonl)
        body.append(Data("--\(boundary)--\r\n".utf8))
        let response = try await send(.post, "files", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        return try Self.decode(FileObject.self, response, what: "file upload").id
    }

    /// Creates a batch over an uploaded file, for `/v1/chat/completions`, within 24 hours.
    public func createBatch(inputFileID: String, metadata: [String: String] = [:]) async throws -> BatchObject {
        var object: [String: Any] = ["input_file_id": inputFileID, "endpoint": "/v1/chat/completions", "completion_window": "24h"]
        if !metadata.isEmpty { object["metadata"] = metadata }
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return try Self.decode(BatchObject.self, try await send(.post, "batches", body: body, contentType: "application/json"),
                               what: "batch creation")
    }

    /// The batch's current state.
    public func batch(_ id: String) async throws -> BatchObject {
        try Self.decode(BatchObject.self, try await send(.get, "batches/\(id)"), what: "batch \(id)")
    }

    /// A file's bytes (a batch's output or error JSONL).
    public func content(ofFile id: String) async throws -> Data {
        try await send(.get, "files/\(id)/content").body
    }

    // MARK: - Wire

    /// `GET /batches/{id}` and `POST /batches`: the fields judge reads.
    public struct BatchObject: Decodable, Sendable, Hashable {
        public var id: String
        public var status: String
        public var outputFileID: String?
        public var errorFileID: String?
        public var requestCounts: RequestCounts?
        public var errors: Errors?

        public struct RequestCounts: Decodable, Sendable, Hashable {
            public var total: Int
            public var completed: Int
            public var failed: Int
        }

        public struct Errors: Decodable, Sendable, Hashable {
            public var data: [Item]?
            public struct Item: Decodable, Sendable, Hashable {
                public var code: String?
                public var message: String?
                public var line: Int?
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, status, errors
            case outputFileID = "output_file_id"
            case errorFileID = "error_file_id"
            case requestCounts = "request_counts"
        }

        /// The provider has finished with it: completed, failed, expired or cancelled.
        public var isTerminal: Bool { ["completed", "failed", "expired", "cancelled"].contains(status) }

        /// The batch-level errors in one line (a batch that failed validation says why here).
        public var errorSummary: String? {
            guard let items = errors?.data, !items.isEmpty else { return nil }
            return items.map { item in
                [item.line.map { "line \($0)" }, item.code, item.message].compactMap { $0 }.joined(separator: ": ")
            }.joined(separator: "; ")
        }
    }

    struct FileObject: Decodable { var id: String }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil, contentType: String? = nil) async throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        if let apiKey { headers["Authorization"] = "Bearer \(apiKey)" }
        let url = baseURL.appendingPathComponent(path)
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
        var last = ""
        for attempt in 1...retry.maxAttempts {
            try Task.checkCancellation()
            var retryAfter: String?
            do {
                let response = try await http.send(request)
                switch response.status {
                case 200..<300: return response
                case 408, 409, 425, 429, 500...599:
                    retryAfter = response.headers["Retry-After"]
                    last = "HTTP \(response.status): \(redacted(ChatCompletionsClient.errorMessage(in: response)))"
                default:
                    throw BatchAPIError.rejected(call: "\(method.rawValue) /\(path)", status: response.status,
                                                 message: redacted(ChatCompletionsClient.errorMessage(in: response)))
                }
            } catch let error as HTTPError {
                guard error.isTransient else { throw BatchAPIError.transport(call: "\(method.rawValue) /\(path)", error.description) }
                last = error.description
            }
            if attempt < retry.maxAttempts { try await retry.sleep(retry.delay(afterAttempt: attempt, retryAfter: retryAfter)) }
        }
        throw BatchAPIError.transport(call: "\(method.rawValue) /\(path)", "\(last) (\(retry.maxAttempts) attempts)")
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw BatchAPIError.malformed("the \(what) reply is not what OpenAI's Batch API sends: \(ChatCompletionsClient.snippet(response.text))")
        }
    }

    private func redacted(_ text: String) -> String {
        guard let apiKey else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[redacted]")
    }
}

/// Why a Batch API call failed.
public enum BatchAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    case rejected(call: String, status: Int, message: String)
    case transport(call: String, String)
    case malformed(String)

    public var description: String {
        switch self {
        case let .rejected(call, status, message): "the Batch API refused \(call) with HTTP \(status): \(message)"
        case let .transport(call, detail): "the Batch API call \(call) failed: \(detail)"
        case let .malformed(detail): detail
        }
    }
}
