#if canImport(Glibc)
import Foundation
import Glibc
import OpenAIWire
@testable import Server
#endif

// MARK: - LoopbackClient

/// A tiny blocking HTTP/1.0 client over a TCP socket to 127.0.0.1, so tests see exactly the bytes the
/// server sends (status, headers, SSE framing) and can hang up mid-stream.
///
/// HTTP/1.0 keeps framing trivial: the server closes the connection after each response, so a body is
/// everything up to EOF. (The HTTP/1.1 keep-alive and chunked path is driven by the `openai` client test.)
struct LoopbackClient {
    let port: Int

    struct Reply {
        var status: Int
        /// Lower-cased names.
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> JSONValue { try JSONValue.parse(Data(body)) }

        /// The `data:` payloads of a server-sent-event body, in order.
        var events: [String] {
            text.components(separatedBy: "\n\n").compactMap { event in
                event.hasPrefix("data: ") ? String(event.dropFirst("data: ".count)) : nil
            }
        }
    }

    /// Sends one request and reads the whole response.
    func send(_ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = []) throws -> Reply {
        let connection = try Connection(port: port)
        defer { connection.close() }
        try connection.write(Self.request(method, path, body: body, headers: headers))
        return try Self.parse(connection.readToEnd())
    }

    /// `POST /v1/chat/completions` with a JSON body.
    func chat(_ body: JSONValue) throws -> Reply {
        try send("POST", "/v1/chat/completions", body: body.jsonString)
    }

    /// Opens a request and returns the connection unread, for tests that hang up early.
    func open(_ method: String, _ path: String, body: String?) throws -> Connection {
        let connection = try Connection(port: port)
        try connection.write(Self.request(method, path, body: body))
        return connection
    }

    private static func request(_ method: String, _ path: String, body: String?, headers: [(String, String)] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        return Array((head + "\r\n" + (body ?? "")).utf8)
    }

    private static func parse(_ bytes: [UInt8]) throws -> Reply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = bytes.firstRange(of: separator) else { throw ClientError("no header end in \(bytes.count) bytes") }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ClientError("bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status, headers: headers, body: Array(bytes[headEnd.upperBound...]))
    }

    // MARK: - Connection

    /// One TCP connection; `read` blocks.
    final class Connection {
        private let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ClientError("socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                Glibc.close(fd)
                throw ClientError("cannot connect to 127.0.0.1:\(port) (errno \(errno))")
            }
        }

        func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { throw ClientError("send failed (errno \(errno))") }
                offset += written
            }
        }

        /// Up to `limit` bytes; empty at EOF.
        func read(limit: Int = 65536) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: limit)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, limit, 0) }
            return count > 0 ? Array(buffer[..<count]) : []
        }

        /// Reads until `marker` has arrived (or EOF); returns everything read.
        func read(until marker: String) -> [UInt8] {
            var all: [UInt8] = []
            while all.firstRange(of: Array(marker.utf8)) == nil {
                let chunk = read()
                if chunk.isEmpty { break }
                all += chunk
            }
            return all
        }

        func readToEnd() -> [UInt8] {
            var all: [UInt8] = []
            while true {
                let chunk = read()
                if chunk.isEmpty { return all }
                all += chunk
            }
        }

        func close() { Glibc.close(fd) }

        /// Shuts down the sending side (`shutdown(SHUT_WR)`, as `nc -N` does); the server may still answer.
        func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

        /// Reads until the server closes the connection or `timeout` passes without a byte.
        /// - Returns: everything read, and whether the server closed (EOF or reset) rather than went quiet.
        func readUntilClosed(timeout: Duration) -> (bytes: [UInt8], closed: Bool) {
            var wait = timeval(tv_sec: Int(timeout.components.seconds),
                               tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    all += buffer[..<count]
                } else if count == 0 || errno == ECONNRESET {
                    return (all, true)
                } else if errno != EINTR {
                    return (all, false)  // EAGAIN: the timeout passed
                }
            }
        }
    }

    struct ClientError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
