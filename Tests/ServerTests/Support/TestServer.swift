import Foundation
import OpenAIWire
@testable import Server
import XCTest

// MARK: - TestServer

/// A `ChatServer` on a free loopback port with a client for it.
struct TestServer {
    let server: ChatServer
    let client: LoopbackClient

    static func start(_ engine: any CompletionEngine, parallel: Int = 2, apiKey: String? = nil) async throws -> TestServer {
        let server = ChatServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, parallel: parallel, apiKey: apiKey))
        let port = try await server.start()
        XCTAssertNotEqual(port, 0)
        return TestServer(server: server, client: LoopbackClient(port: port))
    }

    func stop() async { await server.shutdown(gracePeriod: .seconds(30)) }
}

/// Runs blocking socket work off the cooperative pool (whose few threads the server's handlers need).
func offPool<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

extension LoopbackClient.Reply {
    /// The error body's `error` object, failing the test when the body is not one.
    func apiError(file: StaticString = #filePath, line: UInt = #line) throws -> (message: String, type: String, param: JSONValue, code: JSONValue) {
        let error = try XCTUnwrap(try json()["error"], "no error object in \(text)", file: file, line: line)
        guard case let .string(message)? = error["message"], case let .string(type)? = error["type"] else {
            XCTFail("malformed error \(text)", file: file, line: line)
            return ("", "", .null, .null)
        }
        return (message, type, error["param"] ?? .null, error["code"] ?? .null)
    }
}
