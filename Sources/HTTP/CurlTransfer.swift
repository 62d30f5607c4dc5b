import CCurl
import Foundation

/// One request's easy handle and the response it accumulates.
///
/// Created by `HTTPClient.send`; from `submit` on, touched only by the event-loop thread, except
/// `cancelRequested`, which is guarded by the event loop's lock.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    private let configuration: HTTPClient.Configuration
    var continuation: CheckedContinuation<HTTPResponse, Error>?
    var cancelRequested = false

    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl's message for a failed transfer; `CURL_ERROR_SIZE` bytes, owned here.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    fileprivate var body = Data()
    fileprivate var headers = HTTPHeaders()
    fileprivate var bodyTooLarge = false

    init(request: HTTPRequest, configuration: HTTPClient.Configuration) {
        self.request = request
        self.configuration = configuration
        errorBuffer.initialize(to: 0)
    }

    deinit {
        releaseEasyHandle()
        errorBuffer.deallocate()
    }

    /// Resumes the waiting task; later calls are ignored, so a transfer completes exactly once.
    func finish(_ result: Result<HTTPResponse, Error>) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(with: result)
    }

    // MARK: - Easy handle

    func makeEasyHandle() throws -> UnsafeMutableRawPointer {
        guard let easy = curl_easy_init() else { throw HTTPError(kind: .other, message: "curl_easy_init failed") }
        self.easy = easy
        let me = Unmanaged.passUnretained(self).toOpaque()
        let totalTimeout = request.timeout ?? configuration.timeout

        var failure: CURLcode = CURLE_OK
        func set(_ code: CURLcode) { if failure == CURLE_OK { failure = code } }

        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_URL, request.url.absoluteString))
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, totalTimeout.milliseconds))
        // HTTP/2 over TLS when the server offers it in ALPN, HTTP/1.1 otherwise; a libcurl built without
        // HTTP/2 refuses the option, and then HTTP/1.1 it is.
        _ = judge_curl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Only HTTP(S): a judge URL from a config file must not read local files or speak other protocols.
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile = configuration.trustedCAFile { set(judge_curl_easy_setopt_ptr(easy, CURLOPT_CAINFO, caFile)) }
        set(judge_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        set(judge_curl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_ACCEPT_ENCODING, ""))  // every encoding libcurl decodes
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_USERAGENT, configuration.userAgent))
        set(judge_curl_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me))
        set(judge_curl_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me))

        switch request.method {
        case .get:
            set(judge_curl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case .post:
            set(judge_curl_easy_setopt_long(easy, CURLOPT_POST, 1))
        default:
            set(judge_curl_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
        }
        if let body = request.body ?? (request.method == .post ? Data() : nil) {
            set(judge_curl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes, so the request's Data need not outlive this call.
            body.withUnsafeBytes { raw in
                set(judge_curl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)))
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for field in request.headers { list = curl_slist_append(list, "\(field.name): \(field.value)") }
        // No `Expect: 100-continue` round trip before large bodies.
        if request.headers["Expect"] == nil { list = curl_slist_append(list, "Expect:") }
        headerList = list
        set(judge_curl_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, list))

        guard failure == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(failure))
            releaseEasyHandle()
            throw HTTPError(kind: .invalidRequest, message: "could not configure the transfer: \(message)")
        }
        return easy
    }

    func releaseEasyHandle() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }

    // MARK: - Outcome

    /// The response, or the error, for a transfer libcurl reports done with `code`.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, Error> {
        guard code == CURLE_OK else { return .failure(error(for: code)) }
        guard let easy else { return .failure(HTTPError(kind: .other, message: "transfer finished without a handle")) }
        var status = 0
        _ = judge_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        _ = judge_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        let versionName = switch version {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: "1.1"
        }
        return .success(HTTPResponse(status: status, headers: headers, body: body, httpVersion: versionName))
    }

    private func error(for code: CURLcode) -> HTTPError {
        let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        if bodyTooLarge {
            return HTTPError(kind: .invalidRequest, message: "response body larger than \(configuration.maxResponseBytes) bytes")
        }
        let kind: HTTPError.Kind = switch code {
        case CURLE_OPERATION_TIMEDOUT:
            .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            .connectionFailed
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_BAD_CONTENT_ENCODING:
            .connectionDropped
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            .invalidRequest
        default:
            .other
        }
        return HTTPError(kind: kind, message: detail)
    }

    // MARK: - Callbacks (event-loop thread, inside curl_multi_perform)

    fileprivate func receiveHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()  // a new response starts (after 100 Continue, or a redirect)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers.add(name: name, value: value)
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= configuration.maxResponseBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }
}

// MARK: - C callbacks

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    transfer.receiveHeaderLine(line)
    return length
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive timeout never becomes 0 (libcurl's "no timeout").
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(ms, 1))
    }
}
