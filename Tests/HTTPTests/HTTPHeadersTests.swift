import HTTP
import XCTest

final class HTTPHeadersTests: XCTestCase {
    func testLookupIsCaseInsensitiveAndSettingReplaces() {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add(name: "X-Many", value: "1")
        headers.add(name: "x-many", value: "2")
        XCTAssertEqual(headers["content-type"], "application/json")
        XCTAssertEqual(headers["X-MANY"], "1")
        headers["X-Many"] = "3"
        XCTAssertEqual(headers.fields.filter { $0.name.lowercased() == "x-many" }.map(\.value), ["3"])
        headers["X-Many"] = nil
        XCTAssertNil(headers["x-many"])
    }

    func testCredentialsNeverPrint() {
        let headers: HTTPHeaders = ["Authorization": "Bearer sk-secret", "api-key": "sk-secret", "Accept": "application/json"]
        let request = HTTPRequest(method: .post, url: URL(string: "http://127.0.0.1/v1")!, headers: headers)
        var dumped = ""
        dump(request, to: &dumped)
        for text in [headers.description, String(describing: request), String(reflecting: request), dumped] {
            XCTAssertFalse(text.contains("sk-secret"), text)
        }
        XCTAssertTrue(headers.description.contains("Accept: application/json"))
    }
}
