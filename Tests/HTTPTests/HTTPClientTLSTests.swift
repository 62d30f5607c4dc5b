import Foundation
import HTTP
import TestSupport
import XCTest

/// HTTPS through libcurl against loopback TLS servers with a throwaway CA (issue 18, point 5): a valid
/// chain over HTTP/2 and HTTP/1.1; self-signed and wrong-host certificates refused as TLS errors, which are
/// not transient; `caFile` and `SSL_CERT_FILE` let a private CA in.
final class HTTPClientTLSTests: XCTestCase {
    private static var pki: TLSTestServer.Certificates!

    override class func setUp() {
        pki = try? TLSTestServer.Certificates.make()
    }

    override class func tearDown() { pki?.remove() }

    private var pki: TLSTestServer.Certificates {
        get throws { try XCTUnwrap(Self.pki, "openssl could not make the test certificates") }
    }

    private func get(_ server: TLSTestServer, host: String = "localhost", caFile: String?) async throws -> HTTPResponse {
        let client = HTTPClient(configuration: .init(connectTimeout: .seconds(10), timeout: .seconds(20), caFile: caFile))
        return try await client.send(HTTPRequest(method: .get, url: URL(string: "https://\(host):\(server.port)/")!))
    }

    private func assertRefused(_ server: TLSTestServer, caFile: String?, mentioning words: [String],
                               file: StaticString = #filePath, line: UInt = #line) async throws {
        do {
            let response = try await get(server, caFile: caFile)
            XCTFail("accepted with status \(response.status)", file: file, line: line)
        } catch let error as HTTPError {
            XCTAssertEqual(error.kind, .tls, "\(error)", file: file, line: line)
            XCTAssertFalse(error.isTransient, "a certificate problem is not retried", file: file, line: line)
            let text = "\(error)".lowercased()
            XCTAssertTrue(text.hasPrefix("tls failed: "), text, file: file, line: line)
            XCTAssertTrue(words.contains { text.contains($0) }, "\(text) names none of \(words)", file: file, line: line)
        }
    }

    // MARK: - A valid chain

    func testAValidChainSucceedsOverHTTP2() async throws {
        let server = try TLSTestServer.start(.http2, try pki.localhost)
        defer { server.stop() }
        let response = try await get(server, caFile: try pki.caFile)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.httpVersion, "2")
        XCTAssertEqual(response.text, #"{"ok":true}"#)
    }

    func testAValidChainSucceedsOverHTTP11() async throws {
        let server = try TLSTestServer.start(.http1_1, try pki.localhost)
        defer { server.stop() }
        let response = try await get(server, caFile: try pki.caFile)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.httpVersion, "1.1")
        XCTAssertEqual(response.text, #"{"ok":true}"#)
        let byAddress = try await get(server, host: "127.0.0.1", caFile: try pki.caFile)
        XCTAssertEqual(byAddress.status, 200, "the certificate names the address too")
    }

    func testSSLCertFileLetsAPrivateCAIn() async throws {
        let server = try TLSTestServer.start(.http2, try pki.localhost)
        defer { server.stop() }
        setenv("SSL_CERT_FILE", try pki.caFile, 1)
        defer { unsetenv("SSL_CERT_FILE") }
        let response = try await get(server, caFile: nil)
        XCTAssertEqual(response.status, 200)
    }

    // MARK: - Refusals

    func testWithoutTheCAThePrivateChainIsRefused() async throws {
        let server = try TLSTestServer.start(.http1_1, try pki.localhost)
        defer { server.stop() }
        try await assertRefused(server, caFile: nil, mentioning: ["certificate", "issuer"])
    }

    func testASelfSignedCertificateIsRefused() async throws {
        for version in [TLSTestServer.Version.http1_1, .http2] {
            let server = try TLSTestServer.start(version, try pki.selfSigned)
            defer { server.stop() }
            try await assertRefused(server, caFile: try pki.caFile, mentioning: ["self-signed", "self signed", "certificate"])
        }
    }

    func testAWrongHostCertificateIsRefused() async throws {
        for version in [TLSTestServer.Version.http1_1, .http2] {
            let server = try TLSTestServer.start(version, try pki.wrongHost)
            defer { server.stop() }
            try await assertRefused(server, caFile: try pki.caFile, mentioning: ["subject", "name", "host"])
        }
    }

    func testARefusedCertificateIsTriedOnce() async throws {
        let server = try TLSTestServer.start(.http1_1, try pki.selfSigned)
        defer { server.stop() }
        try await assertRefused(server, caFile: try pki.caFile, mentioning: ["certificate", "self"])
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(server.connectionCount, 1, "one connection: the client does not reconnect after a TLS failure")
    }
}
