import XCTest
@testable import Report

final class EscapingTests: XCTestCase {
    // MARK: - HTML

    func testHTMLEscapesAllFiveSpecialCharacters() {
        XCTAssertEqual(HTMLText.escape("<a href=\"x\" title='y'>&</a>"),
                       "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }

    func testHTMLKeepsTextAndNewlinesAndDropsControlCharacters() {
        XCTAssertEqual(HTMLText.escape("héllo\n\tworld\u{0}\u{7}\u{7F}✓"), "héllo\n\tworld✓")
    }

    func testHTMLEscapingIsNotDoubleDecodedByEntitiesInInput() {
        XCTAssertEqual(HTMLText.escape("&lt;script&gt;"), "&amp;lt;script&amp;gt;")
    }

    // MARK: - Markdown

    func testMarkdownNeutralisesLinksImagesAndHTML() {
        let escaped = MarkdownText.escape("[click](javascript:alert(1)) ![x](http://e/x.png) <img src=x onerror=y>")
        XCTAssertFalse(escaped.contains("](")); XCTAssertFalse(escaped.contains("<"))
        XCTAssertFalse(escaped.contains("javascript:"), "the scheme's colon must be escaped")
        XCTAssertEqual(MarkdownText.escape("a:b"), "a\\:b")
    }

    func testMarkdownNeutralisesBlockSyntaxAndTablePipes() {
        for text in ["# heading", "> quote", "- item", "+ item", "1. item", "| a | b |", "`code`", "***", "~~x~~"] {
            let escaped = MarkdownText.escape(text)
            let first = escaped.first!
            XCTAssertTrue(first == "\\" || first.isLetter || first.isNumber || first == "&", "\(text) → \(escaped)")
            XCTAssertFalse(escaped.replacingOccurrences(of: "\\|", with: "").contains("|"), escaped)
            XCTAssertFalse(escaped.replacingOccurrences(of: "\\`", with: "").contains("`"), escaped)
        }
        XCTAssertEqual(MarkdownText.escape("1. item"), "1\\. item")
    }

    func testMarkdownJoinsLinesSoNoLineStartsWithUntrustedSyntax() {
        XCTAssertEqual(MarkdownText.escape("a\n# b\r\n> c"), "a # b  &gt; c")
        XCTAssertEqual(MarkdownText.escape("  12. x-y 1.5"), "  12\\. x-y 1.5")
        XCTAssertEqual(MarkdownText.escape("---"), "\\---")
        XCTAssertEqual(MarkdownText.escape("=="), "\\==")
    }

    func testCodeBlockFenceIsLongerThanAnyBacktickRunInside() {
        let block = MarkdownText.codeBlock("x ```` y\n```\nz")
        XCTAssertTrue(block.hasPrefix("`````text\n"))
        XCTAssertTrue(block.hasSuffix("\n`````"))
        XCTAssertEqual(MarkdownText.codeBlock("plain"), "```text\nplain\n```")
    }
}
