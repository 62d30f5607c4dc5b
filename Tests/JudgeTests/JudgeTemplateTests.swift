import XCTest
@testable import Judge
import Store
import Suite

final class JudgeTemplateTests: XCTestCase {
    let inputs = JudgeTemplate.Inputs(question: "Q?", system: "S", answerA: "first", answerB: "second", reference: "R")

    func testBuiltInsRenderEveryInputAndStateTheirFormat() {
        for template in [JudgeTemplate.pairwise, .pairwiseGraded, .pairwiseReference] {
            let messages = template.render(inputs)
            XCTAssertEqual(messages.map(\.role), [.system, .user], template.id)
            let user = messages[1].content
            XCTAssertTrue(user.contains("Q?") && user.contains("first") && user.contains("second"), template.id)
            XCTAssertLessThan(user.range(of: "first")!.lowerBound, user.range(of: "second")!.lowerBound)
            XCTAssertFalse(user.contains("{{"), template.id)
            XCTAssertEqual(template.version, "v1")
            let system = messages[0].content
            switch template.format {
            case .pairwise: XCTAssertTrue(system.contains("[[A]]") && system.contains("[[B]]") && system.contains("[[C]]"))
            case .graded: XCTAssertTrue(["[[A>>B]]", "[[A>B]]", "[[A=B]]", "[[B>A]]", "[[B>>A]]"].allSatisfy(system.contains))
            case .logprobs: XCTFail("\(template.id) is a text template")
            }
        }
        XCTAssertTrue(JudgeTemplate.pairwiseReference.needsReference)
        XCTAssertTrue(JudgeTemplate.pairwiseReference.render(inputs)[1].content.contains("R"))
        XCTAssertFalse(JudgeTemplate.pairwise.needsReference)
        XCTAssertEqual(JudgeTemplate.pairwiseGraded.format, .graded)
    }

    func testSubstitutionIsOnePassSoOutputsCannotInjectPlaceholders() {
        let sneaky = JudgeTemplate.Inputs(question: "{{answer_b}}", answerA: "{{reference}}", answerB: "B", reference: "secret")
        let user = JudgeTemplate.pairwise.render(sneaky)[1].content
        XCTAssertTrue(user.contains("<|Request|>\n{{answer_b}}"))
        XCTAssertTrue(user.contains("{{reference}}"))
        XCTAssertFalse(user.contains("secret"))
    }

    func testUnknownBuiltInNamesTheKnownOnes() {
        XCTAssertThrowsError(try JudgeTemplate.named("pairwize")) { error in
            XCTAssertTrue("\(error)".contains("pairwise, pairwise-graded, pairwise-logprobs, pairwise-reference"), "\(error)")
        }
    }

    // MARK: - The logprob verdict mode

    func testTheLogprobTemplateIsShortAndAsksForOneToken() {
        let template = JudgeTemplate.pairwiseLogprobs
        XCTAssertEqual(template.format, .logprobs)
        XCTAssertTrue(template.version.hasPrefix("logprobs-"), "the version names the mode")
        let messages = template.render(inputs)
        XCTAssertEqual(messages.map(\.role), [.user], "no system message: the model's own (SmolLM2's default) stays")
        XCTAssertEqual(messages[0].content, "Question:\nQ?\n\nAnswer A:\nfirst\n\nAnswer B:\nsecond\n\nWhich answer is better? Reply with A, B or tie.")
        XCTAssertLessThan(TokenEstimate.promptTokens(messages), 40, "a few dozen tokens of framing leave room for the answers")
    }

    func testTheSuitesVerdictModePicksAndChecksTheTemplate() throws {
        XCTAssertEqual(try JudgeSpec(template: JudgeSpec.VerdictMode.logprobs.defaultTemplate, verdict: .logprobs).loadTemplate(), .pairwiseLogprobs)
        XCTAssertEqual(try JudgeSpec().loadTemplate(), .pairwise)
        XCTAssertThrowsError(try JudgeSpec(template: "pairwise-graded", verdict: .logprobs).loadTemplate()) { error in
            XCTAssertTrue("\(error)".contains("judge.verdict is logprobs") && "\(error)".contains("pairwise-logprobs"), "\(error)")
        }
        XCTAssertThrowsError(try JudgeSpec(template: "pairwise-logprobs", verdict: .text).loadTemplate()) { error in
            XCTAssertTrue("\(error)".contains("add verdict: logprobs"), "\(error)")
        }
    }

    func testAUserTemplateInTheLogprobModeIsVersionedApart() throws {
        let text = "Q: {{question}}\nA: {{answer_a}}\nB: {{answer_b}}\nBetter? Say A, B or tie."
        let logprobs = try JudgeTemplate.parse(text, name: "short.txt", path: "/x/short.txt", verdict: .logprobs)
        XCTAssertEqual(logprobs.format, .logprobs)
        XCTAssertEqual(logprobs.version, "logprobs-" + String(ContentKey.sha256(text).prefix(16)))
        XCTAssertThrowsError(try JudgeTemplate.parse(text.replacingOccurrences(of: " or tie", with: ""), name: "t.txt",
                                                     path: "/x/t.txt", verdict: .logprobs)) { error in
            XCTAssertTrue("\(error)".contains("/x/t.txt: with verdict: logprobs"), "\(error)")
        }
        XCTAssertThrowsError(try JudgeTemplate.parse(text, name: "t.txt", path: "/x/t.txt"), "in text mode it lacks [[A]]/[[B]]")
    }

    // MARK: - User templates

    func testUserTemplateWithSystemSection() throws {
        let text = """
        === system ===
        Be strict. Answer [[A>>B]], [[A>B]], [[A=B]], [[B>A]] or [[B>>A]].
        === user ===
        Q: {{question}}
        A: {{answer_a}}
        B: {{answer_b}}
        """
        let template = try JudgeTemplate.parse(text, name: "strict.txt", path: "/x/strict.txt")
        XCTAssertEqual(template.id, "file:strict.txt")
        XCTAssertEqual(template.format, .graded)
        XCTAssertEqual(template.version, String(ContentKey.sha256(text).prefix(16)))
        XCTAssertEqual(template.render(inputs).map(\.content), [
            "Be strict. Answer [[A>>B]], [[A>B]], [[A=B]], [[B>A]] or [[B>>A]].", "Q: Q?\nA: first\nB: second",
        ])
        let edited = try JudgeTemplate.parse(text + " ", name: "strict.txt", path: "/x/strict.txt")
        XCTAssertNotEqual(edited.version, template.version, "a changed text is a new version")
    }

    func testUserTemplateErrorsNameTheFileAndCause() {
        func message(_ text: String) -> String {
            do { _ = try JudgeTemplate.parse(text, name: "t.txt", path: "/x/t.txt"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("{{question}} {{answer_a}} {{answer_b}} {{answr}} [[A]] [[B]]").contains("/x/t.txt: unknown placeholder {{answr}}"))
        XCTAssertTrue(message("{{question}} {{answer_a}} [[A]] [[B]]").contains("never shows {{answer_b}}"))
        XCTAssertTrue(message("{{question}} {{answer_a}} {{answer_b}}").contains("how to write its verdict"))
        XCTAssertTrue(message("=== system ===\nx\n{{question}} {{answer_a}} {{answer_b}} [[A]] [[B]]").contains("=== user ==="))
        XCTAssertEqual(message("{{question}} {{answer_a}} {{answer_b}} [[A]] [[B]] [[C]]"), "no error")
    }

    func testLoadingAMissingFile() {
        XCTAssertThrowsError(try JudgeTemplate.load(file: URL(fileURLWithPath: "/nonexistent/judge.txt"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/judge.txt: cannot read"))
        }
    }
}
