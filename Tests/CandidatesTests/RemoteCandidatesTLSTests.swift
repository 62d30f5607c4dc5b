import Foundation
import Judge  // Suite.storeDefinition (Suite+Store), to save the suite the generator reads
import Store
import Suite
import TestSupport
import XCTest
@testable import Candidates

/// Issue 18, point 5: a remote candidate behind a company CA is reached with the model's `ca_file:`,
/// and refused as untrusted without it.
///
/// The TLS test server answers every POST with `{"ok":true}`, which is no chat completion: a model that
/// gets through the TLS handshake fails on the reply's shape, one that does not fails on the certificate.
final class RemoteCandidatesTLSTests: XCTestCase {
    private func generate(caFile: String?, port: Int, folder: SuiteFolder) async throws -> GenerationSummary {
        let trust = caFile.map { "\n    ca_file: \($0)" } ?? ""
        let models = """
          - name: behind-proxy
            url: https://localhost:\(port)/v1
            model: tiny-remote\(trust)
          - name: imported
        """
        let suite = try folder.suite(items: [(id: "a", prompt: "question")], models: models)
        let store = try JudgeStore.inMemory()
        let ids = try store.saveSuite(suite.storeDefinition)
        // No SSL_CERT_FILE: the suite's ca_file is the only way the test CA is trusted.
        let options = CandidateGenerator.Options(concurrency: 1, environment: [:])
        return try await CandidateGenerator(store: store, suite: suite, ids: ids, options: options).run()
    }

    func testTheModelsCAFileIsTrustedAndNothingElseIs() async throws {
        let pki = try TLSTestServer.Certificates.make()
        defer { pki.remove() }
        let server = try TLSTestServer.start(.http1_1, pki.localhost)
        defer { server.stop() }
        let folder = try SuiteFolder()
        defer { folder.remove() }

        let trusted = try await generate(caFile: pki.caFile, port: server.port, folder: folder)
        let reached = try XCTUnwrap(trusted.failures.first?.reason, "the {\"ok\":true} reply was taken as a completion")
        XCTAssertFalse(reached.lowercased().contains("certificate") || reached.lowercased().contains("tls"), reached)

        if ProcessInfo.processInfo.environment["SSL_CERT_FILE"] == nil {
            let untrusted = try await generate(caFile: nil, port: server.port, folder: folder)
            let refused = try XCTUnwrap(untrusted.failures.first?.reason)
            XCTAssertTrue(refused.lowercased().contains("tls") || refused.lowercased().contains("certificate"), refused)
        }
        XCTAssertEqual(trusted.generated, 0)
    }

    func testCAFileIsOnlyForRemoteModels() throws {
        let folder = try SuiteFolder()
        defer { folder.remove() }
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: folder.directory.appendingPathComponent("ca.pem"))
        XCTAssertThrowsError(try folder.suite(items: [(id: "a", prompt: "q")], models: "  - name: imported\n    ca_file: ca.pem\n  - name: other\n")) {
            XCTAssertTrue("\($0)".contains("ca_file: only for"), "\($0)")
        }
        XCTAssertThrowsError(try folder.suite(items: [(id: "a", prompt: "q")],
                                              models: "  - name: r\n    url: https://localhost:1/v1\n    ca_file: missing.pem\n  - name: other\n")) {
            XCTAssertTrue("\($0)".contains("ca_file: no readable file at"), "\($0)")
        }
    }
}
