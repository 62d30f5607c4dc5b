import ChatCompletions
import Foundation
@testable import Judge
import Store
import XCTest

/// Reading one-token verdicts from log-probabilities: variants summed, renormalized, reasons for failures.
final class LogprobVerdictParserTests: XCTestCase {
    private typealias Token = ChatCompletion.TokenLogprob

    private func completion(_ token: String, _ top: [(String, Double)], content: String? = nil) -> ChatCompletion {
        ChatCompletion(content: content ?? token, logprobs: [
            Token(token: token, logprob: top.first { $0.0 == token }?.1 ?? -1,
                  topLogprobs: top.map { .init(token: $0.0, logprob: $0.1) }),
        ])
    }

    private func probabilities(_ outcome: LogprobVerdictParser.Outcome, file: StaticString = #filePath,
                               line: UInt = #line) throws -> VerdictProbabilities {
        guard case .verdict(let p) = outcome else {
            XCTFail("expected a verdict, got \(outcome)", file: file, line: line)
            throw XCTSkip()
        }
        XCTAssertTrue(p.isWellFormed, "\(p)", file: file, line: line)
        return p
    }

    func testVariantsOfEachAnswerAreSummedAndRenormalized() throws {
        // A: 0.4 + 0.1 + 0.05, B: 0.2 + 0.05, tie: 0.1 + 0.05; "The" is not a verdict token.
        let top = [("A", log(0.4)), ("B", log(0.2)), (" A", log(0.1)), ("tie", log(0.1)), ("The", log(0.05)),
                   ("a", log(0.05)), (" B", log(0.05)), (" Tie", log(0.05))]
        let p = try probabilities(LogprobVerdictParser.parse(completion("A", top)))
        XCTAssertEqual(p.mass, 0.95, accuracy: 1e-12)
        XCTAssertEqual(p.a, 0.55 / 0.95, accuracy: 1e-12)
        XCTAssertEqual(p.b, 0.25 / 0.95, accuracy: 1e-12)
        XCTAssertEqual(p.tie, 0.15 / 0.95, accuracy: 1e-12)
        XCTAssertEqual(p.verdict, .aBetter)
        XCTAssertEqual(p.preferenceA, (0.55 + 0.075) / 0.95, accuracy: 1e-12)
        XCTAssertEqual(p.topCount, 8)
    }

    func testTheMostProbableAnswerWinsEvenWhenAnotherTokenWasSampled() throws {
        // The judge said "The", but among verdict tokens B is the likeliest.
        let p = try probabilities(LogprobVerdictParser.parse(completion("The", [("The", log(0.6)), (" B", log(0.25)), ("A", log(0.1))])))
        XCTAssertEqual(p.verdict, .bBetter)
        XCTAssertEqual(p.b, 0.25 / 0.35, accuracy: 1e-12)
        XCTAssertEqual(p.mass, 0.35, accuracy: 1e-12)
    }

    func testTieIsChosenWhenMostProbableAndOnExactBalance() throws {
        let tie = try probabilities(LogprobVerdictParser.parse(completion("tie", [("tie", log(0.5)), ("A", log(0.3)), ("B", log(0.2))])))
        XCTAssertEqual(tie.verdict, .tie)
        XCTAssertEqual(tie.preferenceA, 0.3 + 0.25, accuracy: 1e-12)
        let balanced = try probabilities(LogprobVerdictParser.parse(completion("A", [("A", log(0.4)), ("B", log(0.4))])))
        XCTAssertEqual(balanced.verdict, .tie)
        XCTAssertEqual(balanced.preferenceA, 0.5, accuracy: 1e-12)
    }

    func testMarkupAndWordStartMarksAreVariantsToo() {
        for token in ["A", " A", "a", "\nA", "**A", "(A", "A.", "A:", "\u{2581}A", "\u{0120}A", "[A]"] {
            XCTAssertEqual(LogprobVerdictParser.choice(token), .a, token)
        }
        for token in ["tie", " Tie", "TIE", "Tie."] { XCTAssertEqual(LogprobVerdictParser.choice(token), .tie, token) }
        for token in ["Answer", "AB", "C", "ti", "", " ", "**", "Both"] { XCTAssertNil(LogprobVerdictParser.choice(token), token) }
    }

    func testTheVerdictPositionSkipsLeadingWhitespaceAndMarkup() throws {
        let reply = ChatCompletion(content: "\n**B", logprobs: [
            Token(token: "\n", logprob: -0.1, topLogprobs: [.init(token: "\n", logprob: -0.1), .init(token: "A", logprob: -3)]),
            Token(token: "**", logprob: -0.2, topLogprobs: [.init(token: "**", logprob: -0.2)]),
            Token(token: "B", logprob: -0.3, topLogprobs: [.init(token: "B", logprob: -0.3), .init(token: "A", logprob: -1.5)]),
        ])
        let p = try probabilities(LogprobVerdictParser.parse(reply))
        XCTAssertEqual(p.verdict, .bBetter)
        XCTAssertEqual(p.b, exp(-0.3) / (exp(-0.3) + exp(-1.5)), accuracy: 1e-12)
    }

    func testTheSampledTokenCountsWhenTheTopListLacksIt() throws {
        let p = try probabilities(LogprobVerdictParser.parse(completion("B", [("A", log(0.5)), ("The", log(0.3))])
            .with(logprob: log(0.1))))
        XCTAssertEqual(p.b, 0.1 / 0.6, accuracy: 1e-12)
    }

    // MARK: - Unparsed, with the reason

    func testNoLogprobsIsUnparsedWithTheReason() {
        guard case .unparsed(let reason) = LogprobVerdictParser.parse(ChatCompletion(content: "A")) else { return XCTFail() }
        XCTAssertTrue(reason.contains("no logprobs"), reason)
        guard case .unparsed(let empty) = LogprobVerdictParser.parse(ChatCompletion(content: "", logprobs: [])) else { return XCTFail() }
        XCTAssertTrue(empty.contains("no logprobs"), empty)
    }

    func testNoTopAlternativesIsUnparsed() {
        let reply = ChatCompletion(content: "A", logprobs: [Token(token: "A", logprob: -0.1)])
        guard case .unparsed(let reason) = LogprobVerdictParser.parse(reply) else { return XCTFail() }
        XCTAssertTrue(reason.contains("top_logprobs"), reason)
    }

    func testNoVerdictTokenAmongTheTopIsUnparsedAndNamesWhatWasThere() {
        let reply = completion("The", [("The", log(0.7)), ("Answer", log(0.2)), ("I", log(0.05))])
        guard case .unparsed(let reason) = LogprobVerdictParser.parse(reply) else { return XCTFail() }
        XCTAssertTrue(reason.contains("no verdict token") && reason.contains("\"The\" 0.700") && reason.contains("3 most likely"), reason)
    }

    func testImpossibleVerdictTokensAreUnparsed() {
        // OpenAI writes -9999 for "impossible": exp underflows to 0.
        guard case .unparsed = LogprobVerdictParser.parse(completion("The", [("The", 0), ("A", -9999)])) else { return XCTFail() }
    }
}

private extension ChatCompletion {
    /// The same reply with the sampled token's own log-probability replaced.
    func with(logprob: Double) -> ChatCompletion {
        var copy = self
        copy.logprobs![0].logprob = logprob
        return copy
    }
}
