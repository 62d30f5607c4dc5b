import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - TLSTestServer

/// An HTTPS server on 127.0.0.1 for the client's TLS tests, with certificates from a throwaway CA made by
/// `openssl` for each test run: HTTP/1.1 by Python's `http.server` wrapped in `ssl` (it counts accepted
/// connections, so a test can see that nothing was retried), HTTP/2 by nghttpd (Debian's nghttp2-server;
/// `scripts/bootstrap.sh --test` installs it). Both answer every GET and POST with `{"ok":true}`.
///
/// ```swift
/// let pki = try TLSTestServer.Certificates.make()
/// let server = try TLSTestServer.start(.http2, pki.localhost)
/// // https://localhost:\(server.port)/ with caFile: pki.caFile
/// ```
public final class TLSTestServer: @unchecked Sendable {
    public enum Version: Sendable { case http1_1, http2 }

    public let port: Int
    private let process: Process
    private let lock = NSLock()
    private var accepted = 0
    private var stopped = false

    /// TCP connections accepted so far (HTTP/1.1 server only).
    public var connectionCount: Int { lock.withLock { accepted } }

    // MARK: - Certificates

    /// A key and a certificate, as PEM files.
    public struct Identity: Sendable {
        public let key: String
        public let certificate: String
    }

    /// A throwaway CA and three server identities, in a fresh temporary directory.
    public struct Certificates: Sendable {
        public let directory: URL
        /// The CA's certificate: trust it and `localhost` verifies.
        public let caFile: String
        /// Signed by the CA for localhost and 127.0.0.1.
        public let localhost: Identity
        /// Self-signed for localhost.
        public let selfSigned: Identity
        /// Signed by the CA for another host name.
        public let wrongHost: Identity

        public static func make() throws -> Certificates {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try openssl(["req", "-x509"] + ec + ["-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2",
                         "-subj", "/CN=judge test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            func signed(_ name: String, host: String, alternatives: String) throws -> Identity {
                try openssl(["req"] + ec + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(host)"])
                try "subjectAltName=\(alternatives)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                    .write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
                try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                             "-CAcreateserial", "-days", "2", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
                return Identity(key: path("\(name).key"), certificate: path("\(name).pem"))
            }
            let localhost = try signed("localhost", host: "localhost", alternatives: "DNS:localhost,IP:127.0.0.1")
            let wrongHost = try signed("wrong", host: "wrong.example.invalid", alternatives: "DNS:wrong.example.invalid")
            try openssl(["req", "-x509"] + ec + ["-keyout", path("self.key"), "-out", path("self.pem"), "-days", "2",
                         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            return Certificates(directory: directory, caFile: path("ca.pem"), localhost: localhost,
                                selfSigned: Identity(key: path("self.key"), certificate: path("self.pem")), wrongHost: wrongHost)
        }

        public func remove() { try? FileManager.default.removeItem(at: directory) }

        private static func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TLSTestServerError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(text)")
            }
        }
    }

    // MARK: - Lifecycle

    public static func start(_ version: Version, _ identity: Identity) throws -> TLSTestServer {
        switch version {
        case .http1_1: try startPython(identity)
        case .http2: try startNghttpd(identity)
        }
    }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Kills the server (SIGKILL: a child may have inherited an ignored SIGTERM) and waits for it.
    public func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    deinit { stop() }

    private static let pythonServer = #"""
    import http.server, ssl, sys
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length: self.rfile.read(length)
            body = b'{"ok":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        do_GET = do_POST = answer
        def log_message(self, *args): pass
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    context.set_alpn_protocols(["http/1.1"])
    class Server(http.server.ThreadingHTTPServer):
        def get_request(self):
            raw, address = self.socket.accept()
            print("accepted", flush=True)
            return context.wrap_socket(raw, server_side=True), address
        def handle_error(self, request, address): pass
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    private static func startPython(_ identity: Identity) throws -> TLSTestServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", pythonServer, identity.certificate, identity.key]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let lines = LineReader(output.fileHandleForReading)
        guard let first = lines.next(), let port = Int(first) else {
            process.terminate()
            throw TLSTestServerError("the Python TLS server did not start (is python3 installed?)")
        }
        let server = TLSTestServer(process: process, port: port)
        Thread.detachNewThread {
            while let line = lines.next() {
                if line == "accepted" { server.lock.withLock { server.accepted += 1 } }
            }
        }
        return server
    }

    private static func startNghttpd(_ identity: Identity) throws -> TLSTestServer {
        let candidates = ["/usr/sbin/nghttpd", "/usr/bin/nghttpd"]
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TLSTestServerError("nghttpd not found: install Debian's nghttp2-server (scripts/bootstrap.sh --test)")
        }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let htdocs = URL(fileURLWithPath: identity.key).deletingLastPathComponent().appendingPathComponent("htdocs")
        try FileManager.default.createDirectory(at: htdocs, withIntermediateDirectories: true)
        try #"{"ok":true}"#.write(to: htdocs.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        process.arguments = ["--address=127.0.0.1", "--htdocs=\(htdocs.path)", String(port), identity.key, identity.certificate]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<500 {
            if canConnect(port) { return TLSTestServer(process: process, port: port) }
            usleep(20_000)
        }
        process.terminate()
        throw TLSTestServerError("nghttpd did not start listening on port \(port)")
    }

    // MARK: - Sockets

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TLSTestServerError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Lines from a pipe, read as they arrive.
private final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle) { self.handle = handle }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let data = handle.availableData
            if data.isEmpty { return nil }
            buffer += data
        }
    }
}

public struct TLSTestServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
