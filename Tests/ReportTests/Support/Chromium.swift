import Foundation
import XCTest

/// Headless Chromium (Debian's `chromium` package), run as a separate process per page.
///
/// CI installs it through `scripts/bootstrap.sh --test`; a machine without it fails the browser
/// tests with a message that says so, rather than skipping them silently.
struct Chromium {
    static let path = "/usr/bin/chromium"

    let profile: URL

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else {
            throw ChromiumMissing.notInstalled
        }
        profile = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-chromium-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// The page's DOM after load, as Chromium serializes it (scripts, had any run, have run).
    func dumpDOM(_ page: URL) throws -> String {
        try run(["--dump-dom", page.absoluteString])
    }

    /// A PNG screenshot of the page at the given window size.
    func screenshot(_ page: URL, to png: URL, width: Int, height: Int) throws {
        _ = try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
                     page.absoluteString])
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=\(profile.path)",
        ] + arguments
        let out = Pipe()
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("judge-chromium-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: err)
        defer { try? errHandle.close() }
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: profile) }
        guard process.terminationStatus == 0 else {
            let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw ChromiumError.failed(status: process.terminationStatus, log: String(log.suffix(2000)))
        }
        return String(decoding: data, as: UTF8.self)
    }
}

enum ChromiumMissing: Error, CustomStringConvertible {
    case notInstalled
    var description: String {
        "headless Chromium is not installed at \(Chromium.path): run `sudo apt-get install chromium` "
            + "(scripts/bootstrap.sh --test installs it)"
    }
}

enum ChromiumError: Error, CustomStringConvertible {
    case failed(status: Int32, log: String)
    var description: String {
        switch self {
        case let .failed(status, log): return "chromium exited with status \(status):\n\(log)"
        }
    }
}

// MARK: - A loopback HTTP listener that counts requests

/// Listens on 127.0.0.1 (a free port) and answers every request with an empty 404, recording the
/// request line: the injection payloads point at it, so any load the page makes is seen.
final class RequestRecorder: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var _requests: [String] = []
    private var stopping = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    var requests: [String] { lock.lock(); defer { lock.unlock() }; return _requests }

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard sock >= 0 else { throw ChromiumError.failed(status: -1, log: "socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(sock, 64) == 0 else {
            close(sock)
            throw ChromiumError.failed(status: -1, log: "bind/listen: \(String(cString: strerror(errno)))")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) }
        }
        fd = sock
        port = UInt16(bigEndian: addr.sin_port)
        let thread = Thread { [unowned self] in self.serve() }
        self.thread = thread
        thread.start()
    }

    /// Stops listening; waits for the serving thread to finish.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        done.wait()
        close(fd)
    }

    private func serve() {
        defer { done.signal() }
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { return }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            var cpfd = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            var line = "(no request line)"
            if poll(&cpfd, 1, 2000) > 0 {
                let n = read(client, &buffer, buffer.count)
                if n > 0 {
                    let text = String(decoding: buffer[0..<n], as: UTF8.self)
                    line = String(text.split(separator: "\r\n", maxSplits: 1).first ?? "")
                }
            }
            lock.lock()
            _requests.append(line)
            lock.unlock()
            let reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = reply.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }
}
