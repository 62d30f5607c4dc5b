import XCTest
@testable import Judge
import Store

final class VerdictParserTests: XCTestCase {
    func testPairwiseTokens() {
        XCTAssertEqual(VerdictParser.parse("A is better. [[A]]", format: .pairwise), .aBetter)
        XCTAssertEqual(VerdictParser.parse("[[B]]", format: .pairwise), .bBetter)
        XCTAssertEqual(VerdictParser.parse("Equally good: [[C]]", format: .pairwise), .tie)
    }

    func testLastVerdictWins() {
        let reply = "I must answer [[A]], [[B]] or [[C]]. Assistant A is wrong, so my verdict is [[B]]"
        XCTAssertEqual(VerdictParser.parse(reply, format: .pairwise), .bBetter)
        XCTAssertEqual(VerdictParser.parse("[[B]] at first, but on reflection [[A]].", format: .pairwise), .aBetter)
        XCTAssertEqual(VerdictParser.parse("[[A>>B]] … no: [[B>A]]", format: .graded), .bBetter)
    }

    func testNoVerdictIsNil() {
        XCTAssertNil(VerdictParser.parse("", format: .pairwise))
        XCTAssertNil(VerdictParser.parse("Both answers are fine, I think A.", format: .pairwise))
        XCTAssertNil(VerdictParser.parse("[[D]] [[AB]] [A] [[A", format: .pairwise))
        XCTAssertNil(VerdictParser.parse("[[A>B]]", format: .pairwise), "a graded token in a pairwise reply is not a verdict")
        XCTAssertNil(VerdictParser.parse("[[A]]", format: .graded), "a pairwise token in a graded reply is not a verdict")
    }

    func testGradedForms() {
        let expected: [String: Verdict] = [
            "[[A>>B]]": .aMuchBetter, "[[A>B]]": .aBetter, "[[A=B]]": .tie, "[[B>A]]": .bBetter, "[[B>>A]]": .bMuchBetter,
            "[[A<B]]": .bBetter, "[[B<<A]]": .aMuchBetter, "[[ A > B ]]": .aBetter,
        ]
        for (text, verdict) in expected {
            XCTAssertEqual(VerdictParser.parse("Final verdict: \(text)", format: .graded), verdict, text)
        }
    }

    func testNestedBracketsAndNoise() {
        XCTAssertEqual(VerdictParser.parse("[[[A]]]", format: .pairwise), .aBetter)
        XCTAssertEqual(VerdictParser.parse("[[note]] then [[B]] ]]", format: .pairwise), .bBetter)
        XCTAssertEqual(VerdictParser.parse("verdict:\n[[ C ]]\n", format: .pairwise), .tie)
    }
}
