import XCTest
@testable import Store

final class ContentKeyTests: XCTestCase {
    func testSHA256KnownAnswers() {
        // FIPS 180-4 examples.
        XCTAssertEqual(ContentKey.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(ContentKey.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(ContentKey.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(ContentKey.sha256(String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testPartsAreLengthPrefixed() {
        XCTAssertNotEqual(ContentKey.make(["ab", "c"]), ContentKey.make(["a", "bc"]))
        XCTAssertEqual(ContentKey.make(["ab", "c"]), ContentKey.make(["ab", "c"]))
        XCTAssertEqual(ContentKey.make(["é"]), ContentKey.sha256("2:é"))
    }
}
