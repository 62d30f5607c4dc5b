import XCTest
import OpenAIWire
@testable import Server

/// `judge serve --api-key`: Bearer keys on every route but `/health`, OpenAI's 401 otherwise.
final class AuthorizationTests: XCTestCase {
    private let chat: JSONValue = ["messages": [["role": "user", "content": "Hi"]]]

    func testKeyIsRequiredOnEveryRouteButHealth() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "ok"), apiKey: "sk-team-secret")
        defer { Task { await test.stop() } }
        let client = test.client
        let body = chat.jsonString

        let missing = try await offPool { try client.send("POST", "/v1/chat/completions", body: body) }
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(try missing.apiError().type, "invalid_request_error")
        XCTAssertTrue(try missing.apiError().message.contains("Authorization"))

        let wrong = try await offPool {
            try client.send("POST", "/v1/chat/completions", body: body, headers: [("Authorization", "Bearer sk-team-secreT")])
        }
        XCTAssertEqual(wrong.status, 401)
        XCTAssertEqual(try wrong.apiError().code, "invalid_api_key")

        let prefix = try await offPool { try client.send("GET", "/v1/models", headers: [("Authorization", "Bearer sk-team")]) }
        XCTAssertEqual(prefix.status, 401)
        let basic = try await offPool { try client.send("GET", "/v1/models", headers: [("Authorization", "Basic c2stdGVhbS1zZWNyZXQ=")]) }
        XCTAssertEqual(basic.status, 401)
        let modelsWithout = try await offPool { try client.send("GET", "/v1/models/scripted") }
        XCTAssertEqual(modelsWithout.status, 401)

        let right = try await offPool {
            try client.send("POST", "/v1/chat/completions", body: body, headers: [("Authorization", "Bearer sk-team-secret")])
        }
        XCTAssertEqual(right.status, 200, right.text)
        let lowercase = try await offPool { try client.send("GET", "/v1/models", headers: [("authorization", "bearer sk-team-secret")]) }
        XCTAssertEqual(lowercase.status, 200)

        let health = try await offPool { try client.send("GET", "/health") }
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(try health.json()["status"], "ok")
    }

    func testWithoutKeyEverythingIsOpen() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "ok"))
        defer { Task { await test.stop() } }
        let client = test.client
        let models = try await offPool { try client.send("GET", "/v1/models") }
        XCTAssertEqual(models.status, 200)
        let health = try await offPool { try client.send("GET", "/health") }
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(try health.json()["model"], "scripted")
    }

    func testConstantTimeComparison() {
        let equal = BearerAuthorization.constantTimeEqual
        XCTAssertTrue(equal(Array("abc".utf8), Array("abc".utf8)))
        XCTAssertFalse(equal(Array("abc".utf8), Array("abd".utf8)))
        XCTAssertFalse(equal(Array("abc".utf8), Array("abcd".utf8)))
        XCTAssertFalse(equal([], Array("a".utf8)))
        XCTAssertTrue(equal([], []))
    }
}
