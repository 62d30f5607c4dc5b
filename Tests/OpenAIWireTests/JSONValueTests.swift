import Foundation
@testable import OpenAIWire
import XCTest

final class JSONValueTests: XCTestCase {
    func testParsesEveryKindAndKeepsIntegersApartFromDecimals() throws {
        let value = try JSONValue.parse(Data(#"{"a": [1, 1.5, true, null, "x\n"], "b": {"c": -7}}"#.utf8))
        XCTAssertEqual(value["a"], [1, 1.5, true, .null, "x\n"])
        XCTAssertEqual(value["b"]?["c"], .integer(-7))
    }

    func testRejectsMalformedJSONWithAReason() {
        XCTAssertThrowsError(try JSONValue.parse(Data(#"{"a": }"#.utf8))) { error in
            XCTAssertFalse("\(error)".isEmpty)
        }
    }

    func testSerializesInOrderWithEscapes() {
        let value: JSONValue = ["z": "quote \" back \\ nl \n ctl \u{01} é", "a": [1, 2.5, false, .null], "n": .number(.infinity)]
        XCTAssertEqual(value.jsonString, #"{"z":"quote \" back \\ nl \n ctl \u0001 é","a":[1,2.5,false,null],"n":null}"#)
    }

    func testRoundTrips() throws {
        let value: JSONValue = ["s": "ünïcode ✓", "i": 42, "d": -0.25, "o": ["k": [true]]]
        XCTAssertEqual(try JSONValue.parse(Data(value.serialized())), value)
    }
}
