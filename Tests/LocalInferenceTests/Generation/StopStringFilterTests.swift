import XCTest
@testable import LocalInference

final class StopStringFilterTests: XCTestCase {
    /// Feeds pieces until a stop; returns everything released and whether it stopped.
    private func run(_ stops: [String], _ pieces: [String]) -> (text: String, stopped: Bool) {
        var filter = StopStringFilter(stopStrings: stops)
        var text = ""
        for piece in pieces {
            let (released, stopped) = filter.append(piece)
            text += released
            if stopped { return (text, true) }
        }
        return (text + filter.flush(), false)
    }

    func testHoldsBackAPossibleStartAndReleasesItWhenDisproved() {
        var filter = StopStringFilter(stopStrings: ["\nUser:"])
        XCTAssertEqual(filter.append("Hello\nUs").text, "Hello")
        XCTAssertEqual(filter.append("ually").text, "\nUsually")
    }

    func testAStopStringSplitAcrossPiecesIsNeverEmitted() {
        XCTAssertEqual(run(["\nUser:"].map { $0 }, ["Fine.", "\n", "Us", "er", ": next"]).text, "Fine.")
        XCTAssertEqual(run(["END"], ["abcEN", "D tail"]).text, "abc")
        XCTAssertTrue(run(["END"], ["abcEN", "D tail"]).stopped)
    }

    func testTheEarliestOfSeveralStopStringsWins() {
        let result = run(["world", "lo w"], ["hello world"])
        XCTAssertEqual(result.text, "hel")
        XCTAssertTrue(result.stopped)
    }

    func testStopAtTheVeryStartEmitsNothing() {
        XCTAssertEqual(run(["###"], ["###", "more"]).text, "")
    }

    func testMultibyteTextAndStopStrings() {
        XCTAssertEqual(run(["。"], ["日本", "語です", "。次"]).text, "日本語です")
        XCTAssertEqual(run(["🙂🙃"], ["a🙂", "b🙂", "🙃c"]).text, "a🙂b")
    }

    func testFlushReleasesHeldTextWhenNoStopCompletes() {
        let result = run(["STOP"], ["the end ST"])
        XCTAssertEqual(result.text, "the end ST")
        XCTAssertFalse(result.stopped)
    }

    func testNoStopStringsPassEverythingThrough() {
        var filter = StopStringFilter(stopStrings: [])
        XCTAssertEqual(filter.append("abc").text, "abc")
        XCTAssertEqual(filter.flush(), "")
    }

    func testOverlappingPrefixesHoldTheLongestCandidate() {
        // "aab" is a stop string; after "aaa" the last "aa" may still start it.
        var filter = StopStringFilter(stopStrings: ["aab"])
        XCTAssertEqual(filter.append("aaa").text, "a")
        let end = filter.append("b!")   // "aaab!": the stop begins at the second "a"
        XCTAssertEqual(end.text, "")
        XCTAssertTrue(end.stopped)
    }
}
