import Foundation
import NIOCore
import XCTest
@testable import Server
#if canImport(Glibc)
import Glibc
#endif

/// `judge serve` against hostile clients, over raw sockets: idle, head and body timeouts, the connection
/// cap, a malformed request, a half-closed client and file-descriptor exhaustion.
final class ConnectionHardeningTests: XCTestCase {
    private static let short = ConnectionLimits(idleTimeout: .milliseconds(300), headerTimeout: .milliseconds(300),
                                                bodyTimeout: .milliseconds(300))

    private func start(_ limits: ConnectionLimits, parallel: Int = 2) async throws -> (ChatServer, Int) {
        let server = ChatServer(engine: ScriptedEngine(reply: "Hi"),
                                configuration: .init(host: "127.0.0.1", port: 0, parallel: parallel, limits: limits))
        return (server, try await server.start())
    }

    // MARK: - Timeouts

    func testIdleConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let (server, port) = try await start(Self.short)
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let results = try await offPool {
            let connections = try (0..<50).map { _ in try LoopbackClient.Connection(port: port) }
            defer { connections.forEach { $0.close() } }
            return connections.map { $0.readUntilClosed(timeout: .seconds(30)) }
        }
        XCTAssertEqual(results.filter(\.closed).count, 50, "every idle connection is closed")
        XCTAssertTrue(results.allSatisfy { $0.bytes.isEmpty }, "an idle connection is closed without a reply")
    }

    func testIdleTimeoutAppliesBetweenKeepAliveRequests() async throws {
        let (server, port) = try await start(Self.short)
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let (first, after) = try await offPool { () -> (String, (bytes: [UInt8], closed: Bool)) in
            let connection = try LoopbackClient.Connection(port: port)
            defer { connection.close() }
            try connection.write(Array("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            let first = String(decoding: connection.read(until: "\"scripted\""), as: UTF8.self)
            return (first, connection.readUntilClosed(timeout: .seconds(30)))
        }
        XCTAssertTrue(first.hasPrefix("HTTP/1.1 200 OK"), first)
        XCTAssertTrue(after.closed, "the keep-alive connection is closed once idle")
    }

    func testAHeadThatNeverEndsGets408AndIsClosed() async throws {
        let (server, port) = try await start(Self.short)
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let results = try await offPool {
            let connections = try (0..<20).map { _ in try LoopbackClient.Connection(port: port) }
            defer { connections.forEach { $0.close() } }
            for connection in connections {
                try connection.write(Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Ty".utf8))
            }
            return connections.map { $0.readUntilClosed(timeout: .seconds(30)) }
        }
        for result in results {
            XCTAssertTrue(result.closed)
            let text = String(decoding: result.bytes, as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("HTTP/1.1 408 Request Timeout"), text)
            XCTAssertTrue(text.contains("request head not received"), text)
        }
    }

    func testABodyThatNeverEndsGets408AndIsClosed() async throws {
        let (server, port) = try await start(Self.short)
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let result = try await offPool {
            let connection = try LoopbackClient.Connection(port: port)
            defer { connection.close() }
            try connection.write(Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"mess".utf8))
            return connection.readUntilClosed(timeout: .seconds(30))
        }
        XCTAssertTrue(result.closed)
        let text = String(decoding: result.bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 408 Request Timeout"), text)
        XCTAssertTrue(text.contains("request body not received"), text)
    }

    func testALongGenerationIsNotCutByTheTimeouts() async throws {
        let engine = ScriptedEngine(reply: "la", endless: true)
        let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, limits: Self.short))
        let port = try await server.start()
        defer { Task { await server.shutdown(gracePeriod: .zero) } }
        let request = #"{"messages":[{"role":"user","content":"Hi"}],"stream":true}"#
        let (streamed, closed) = try await offPool { () -> (Int, Bool) in
            let connection = try LoopbackClient(port: port).open("POST", "/v1/chat/completions", body: request)
            defer { connection.close() }
            var streamed = 0
            let deadline = Date().addingTimeInterval(1.5)  // five idle timeouts
            while Date() < deadline {
                let chunk = connection.read()
                if chunk.isEmpty { return (streamed, true) }
                streamed += chunk.count
            }
            return (streamed, false)
        }
        XCTAssertFalse(closed, "a generation outlasting every timeout keeps its connection")
        XCTAssertGreaterThan(streamed, 0)
    }

    // MARK: - Malformed requests and half-closed clients

    func testAMalformedRequestGets400AndTheConnectionIsClosed() async throws {
        let (server, port) = try await start(ConnectionLimits())
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        for garbage in ["GARBAGE\r\n\r\n", "GET / HTTP/9.Q\r\n\r\n", "GET /v1/models HTTP/1.1\r\nHost x\r\n\r\n",
                        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -5\r\n\r\n"] {
            let result = try await offPool {
                let connection = try LoopbackClient.Connection(port: port)
                defer { connection.close() }
                try connection.write(Array(garbage.utf8))
                return connection.readUntilClosed(timeout: .seconds(10))
            }
            let text = String(decoding: result.bytes, as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("HTTP/1.1 400 Bad Request"), "\(garbage.debugDescription): \(text)")
            XCTAssertTrue(result.closed, "the connection stays open after 400 to \(garbage.debugDescription)")
        }
    }

    func testARequestWhoseClientHalfClosedIsAnswered() async throws {
        let (server, port) = try await start(ConnectionLimits())
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let body = #"{"messages":[{"role":"user","content":"Hi"}]}"#
        for version in ["HTTP/1.1", "HTTP/1.0"] {
            let result = try await offPool {
                let connection = try LoopbackClient.Connection(port: port)
                defer { connection.close() }
                try connection.write(Array("POST /v1/chat/completions \(version)\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
                connection.shutdownWrite()
                return connection.readUntilClosed(timeout: .seconds(30))
            }
            let text = String(decoding: result.bytes, as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("\(version) 200 OK"), text)
            XCTAssertTrue(text.contains("\"content\":\"Hi\""), text)
            XCTAssertTrue(result.closed, "the server closes after answering a half-closed client")
        }
    }

    func testAnIdleClientThatHalfClosesIsClosed() async throws {
        let (server, port) = try await start(ConnectionLimits())
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let result = try await offPool {
            let connection = try LoopbackClient.Connection(port: port)
            defer { connection.close() }
            connection.shutdownWrite()
            return connection.readUntilClosed(timeout: .seconds(10))
        }
        XCTAssertTrue(result.closed)
        XCTAssertEqual(result.bytes, [])
    }

    // MARK: - The connection cap and descriptor exhaustion

    func testConnectionsBeyondTheCapAreRefusedWith503() async throws {
        var limits = ConnectionLimits()
        limits.maxConnections = 4
        let (server, port) = try await start(limits)
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let (refusals, afterwards) = try await offPool { () -> ([(bytes: [UInt8], closed: Bool)], LoopbackClient.Reply) in
            let held = try (0..<4).map { _ in try LoopbackClient.Connection(port: port) }
            // Let the server register the four before the next ones arrive.
            try Self.waitFor { server.openConnections == 4 }
            let extra = try (0..<6).map { _ in try LoopbackClient.Connection(port: port) }
            let refusals = extra.map { $0.readUntilClosed(timeout: .seconds(10)) }
            extra.forEach { $0.close() }
            held.forEach { $0.close() }
            try Self.waitFor { server.openConnections == 0 }
            return (refusals, try LoopbackClient(port: port).send("GET", "/v1/models"))
        }
        for refusal in refusals {
            let text = String(decoding: refusal.bytes, as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("HTTP/1.1 503 Service Unavailable"), text)
            XCTAssertTrue(text.lowercased().contains("retry-after: 1"), text)
            XCTAssertTrue(refusal.closed)
        }
        XCTAssertEqual(afterwards.status, 200, "the server serves again once connections close")
    }

    func testTheCapStaysBelowTheDescriptorLimit() {
        XCTAssertEqual(ConnectionLimits.cap(1024, descriptorLimit: 256, open: 20), 256 - 20 - ConnectionLimits.reservedDescriptors)
        XCTAssertEqual(ConnectionLimits.cap(100, descriptorLimit: 1 << 20, open: 20), 100)
        XCTAssertEqual(ConnectionLimits.cap(100, descriptorLimit: 10, open: 20), 1, "never zero")
        XCTAssertEqual(ConnectionLimits.cap(.max, descriptorLimit: .max, open: 0), .max - ConnectionLimits.reservedDescriptors)
    }

    /// Timeouts become NIO time amounts (NIO's own conversion) saturating at the largest one, never wrapping to
    /// a negative time, which would fire at once and close every connection.
    func testTimeoutsSaturateInsteadOfWrapping() {
        XCTAssertEqual(NIOCore.TimeAmount(Duration.seconds(Int64.max)).nanoseconds, .max)
        XCTAssertEqual(NIOCore.TimeAmount(Duration.seconds(9_223_372_036) + .milliseconds(900)).nanoseconds, .max)
        XCTAssertEqual(NIOCore.TimeAmount(Duration.seconds(2) + .milliseconds(5)).nanoseconds, 2_005_000_000)
    }

    /// With few descriptors (`ulimit -n`), a flood of idle connections gets refusals, the server does not
    /// spin, and it answers again once the flood is gone.
    func testDescriptorExhaustionDegradesToRefusalsNotASpin() async throws {
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved)
        defer { setrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved) }
        let engine = ScriptedEngine(reply: "Hi")
        let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0))
        // The server and this test share the process's descriptors: leave room for 10 connections.
        var low = saved
        low.rlim_cur = rlim_t(ConnectionLimits.openDescriptors() + ConnectionLimits.reservedDescriptors + 10 + 4)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &low), 0)
        let port = try await server.start()
        defer { Task { await server.shutdown(gracePeriod: .seconds(5)) } }
        let (refused, cpu, afterwards) = try await offPool { () -> (Int, Double, LoopbackClient.Reply) in
            var flood: [LoopbackClient.Connection] = []
            for _ in 0..<25 { flood.append(try LoopbackClient.Connection(port: port)) }
            let refused = flood.map { $0.readUntilClosed(timeout: .milliseconds(500)) }
                .filter { String(decoding: $0.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503") }.count
            let before = Self.cpuSeconds()
            Thread.sleep(forTimeInterval: 2)
            let cpu = Self.cpuSeconds() - before
            flood.forEach { $0.close() }
            try Self.waitFor { server.openConnections == 0 }
            return (refused, cpu, try LoopbackClient(port: port).send("GET", "/v1/models"))
        }
        XCTAssertGreaterThanOrEqual(refused, 10, "connections beyond the descriptors left are refused")
        XCTAssertLessThan(cpu, 1.0, "the server spins while its descriptors are used up")
        XCTAssertEqual(afterwards.status, 200)
    }

    // MARK: - Helpers

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Polls a condition another thread makes true; throws after 30 s.
    private static func waitFor(_ condition: () -> Bool) throws {
        for _ in 0..<3000 {
            if condition() { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw LoopbackClient.ClientError("condition never became true")
    }
}
