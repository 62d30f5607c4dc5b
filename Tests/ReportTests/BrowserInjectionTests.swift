import Foundation
import XCTest
@testable import Report

/// Renders reports full of hostile model outputs in headless Chromium and checks, from the DOM it
/// dumps after load, that no injected script ran, no injected element exists, and the page made no
/// request (a loopback listener that every payload points at records any).
final class BrowserInjectionTests: XCTestCase {
    private var recorder: RequestRecorder!
    private var directory: URL!

    override func setUpWithError() throws {
        recorder = try RequestRecorder()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("judge-report-browser-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        recorder.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Each payload, if it ever ran, sets an attribute whose name and value are assembled at run
    /// time (so their literal text never appears in the escaped page) and/or loads from the recorder.
    private func payloads() -> [String] {
        let origin = "http://127.0.0.1:\(recorder.port)"
        let mark = "document.documentElement.setAttribute('data-'+'inj','r'+'an');document.title='PW'+'NED'"
        return [
            "<script>\(mark)</script>",
            "<img src=x onerror=\"\(mark)\">",
            "<img src=\"\(origin)/img\">",
            "</textarea><script>\(mark)</script>",
            "</pre><script>\(mark)</script><pre>",
            "</title><script>\(mark)</script>",
            "</text></svg><script>\(mark)</script><svg><text>",
            "\"><script>\(mark)</script>",
            "'><img src='\(origin)/attr' onerror='\(mark)'>",
            "<svg onload=\"\(mark)\"></svg>",
            "<iframe src=\"javascript:\(mark)\"></iframe>",
            "<a href=\"javascript:\(mark)\">click me</a>",
            "[click me](javascript:alert(1))",
            "<link rel=stylesheet href=\"\(origin)/css\">",
            "<style>@import url(\(origin)/import);</style>",
            "<base href=\"\(origin)/\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=\(origin)/refresh\">",
            "<object data=\"\(origin)/object\"></object>",
            "<details open ontoggle=\"\(mark)\">",
            "# Heading\n> quote\n- item\n| a | b |\n`code` ``` ",
        ]
    }

    private var hostile: String { payloads().joined(separator: "\n") }

    // MARK: - The real page

    func testHostileOutputsRunNothingAndLoadNothing() throws {
        let data = SyntheticReport.make(untrusted: hostile, hostileNames: true, historyDays: 3)
        let page = directory.appendingPathComponent("report.html")
        try HTMLRenderer().render(data).write(to: page, atomically: true, encoding: .utf8)
        let dom = try Chromium().dumpDOM(page)
        try Self.assertInert(dom)
        XCTAssertEqual(recorder.requests, [], "the page made requests")
    }

    /// Without the Content-Security-Policy, escaping alone must keep the page inert.
    func testEscapingAloneIsEnoughWithoutContentSecurityPolicy() throws {
        let data = SyntheticReport.make(untrusted: hostile, hostileNames: true, historyDays: 3)
        var renderer = HTMLRenderer()
        renderer.includesContentSecurityPolicy = false
        let page = directory.appendingPathComponent("report-nocsp.html")
        try renderer.render(data).write(to: page, atomically: true, encoding: .utf8)
        let dom = try Chromium().dumpDOM(page)
        XCTAssertFalse(dom.contains("Content-Security-Policy"))
        try Self.assertInert(dom)
        XCTAssertEqual(recorder.requests, [], "the page made requests")
    }

    // MARK: - The detectors themselves

    /// The same payloads pasted in unescaped (and without the policy) do run and do load: proof
    /// that the checks above can fail.
    func testDetectorsSeeUnescapedInjection() throws {
        var renderer = HTMLRenderer()
        renderer.includesContentSecurityPolicy = false
        let html = renderer.render(SyntheticReport.make())
        let origin = "http://127.0.0.1:\(recorder.port)"
        let raw = "<script>document.documentElement.setAttribute('data-'+'inj','r'+'an')</script><img src=\"\(origin)/control\">"
        let page = directory.appendingPathComponent("control.html")
        try html.replacingOccurrences(of: "<main>", with: "<main>" + raw).write(to: page, atomically: true, encoding: .utf8)
        let dom = try Chromium().dumpDOM(page)
        XCTAssertTrue(dom.contains("data-inj=\"ran\""), "the control script did not run: the detector is blind")
        XCTAssertTrue(recorder.requests.contains { $0.contains("/control") }, "the control image was not requested")
        XCTAssertThrowsError(try Self.assertInert(dom))
    }

    /// And the policy alone blocks them too (defence in depth).
    func testContentSecurityPolicyAloneBlocksUnescapedInjection() throws {
        let html = HTMLRenderer().render(SyntheticReport.make())
        let origin = "http://127.0.0.1:\(recorder.port)"
        let raw = "<script>document.documentElement.setAttribute('data-'+'inj','r'+'an')</script><img src=\"\(origin)/csp\">"
        let page = directory.appendingPathComponent("csp.html")
        try html.replacingOccurrences(of: "<main>", with: "<main>" + raw).write(to: page, atomically: true, encoding: .utf8)
        let dom = try Chromium().dumpDOM(page)
        XCTAssertFalse(dom.contains("data-inj=\"ran\""), "the policy let an inline script run")
        XCTAssertEqual(recorder.requests, [], "the policy let an image load")
    }

    // MARK: - DOM checks

    /// The scanner and the checks catch what the payloads would add, even when no script ran.
    func testDOMCheckCatchesElementsAttributesAndLinks() throws {
        XCTAssertNoThrow(try Self.assertInert("<html><head><style>a < b {}</style></head><body><div class=\"x\"><a href=\"#top\">t</a> &lt;script&gt;</div></body></html>"))
        XCTAssertThrowsError(try Self.assertInert("<html><body><img src=\"x\"></body></html>"))
        XCTAssertThrowsError(try Self.assertInert("<html><body><div onclick=\"x()\">a</div></body></html>"))
        XCTAssertThrowsError(try Self.assertInert("<html><body><a href=\"javascript:x()\">a</a></body></html>"))
        XCTAssertThrowsError(try Self.assertInert("<html><body><a href=\"http://127.0.0.1/\">a</a></body></html>"))
        XCTAssertThrowsError(try Self.assertInert("<html><head><title>PWNED</title></head></html>"))
        XCTAssertEqual(Self.tags(in: "<p class=\"a\" id=\"b\">x</p><br>").map(\.name), ["p", "br"])
        XCTAssertEqual(Self.tags(in: "<p class=\"a\" id=\"b\">").first?.attributes.map(\.0), ["class", "id"])
    }

    struct Injection: Error, CustomStringConvertible {
        var description: String
    }

    /// Throws when the DOM shows a script ran, an element or attribute the renderer never writes,
    /// or a reference to anything outside the page.
    static func assertInert(_ dom: String) throws {
        guard !dom.contains("data-inj=\"ran\"") else { throw Injection(description: "an injected script ran") }
        guard !dom.contains("<title>PWNED") else { throw Injection(description: "an injected script set the title") }
        let allowedTags: Set<String> = [
            "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "nav", "section", "h1", "h2",
            "h3", "h4", "p", "div", "span", "strong", "a", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "br",
            "figure", "figcaption", "details", "summary", "pre", "svg", "g", "line", "text", "tspan", "rect",
            "circle", "polyline",
        ]
        let allowedAttributes: Set<String> = [
            "lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "role", "aria-label", "viewBox",
            "viewbox", "width", "height", "xmlns", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
            "text-anchor", "transform", "fill", "stroke", "stroke-width", "stroke-dasharray", "points",
        ]
        for tag in Self.tags(in: dom) {
            guard allowedTags.contains(tag.name) else {
                throw Injection(description: "unexpected element <\(tag.name)> in the DOM")
            }
            for (name, value) in tag.attributes {
                guard allowedAttributes.contains(name) else {
                    throw Injection(description: "unexpected attribute \(name) on <\(tag.name)>")
                }
                if name == "href" && !value.hasPrefix("#") {
                    throw Injection(description: "external link \(value)")
                }
            }
        }
    }

    /// Start tags of a serialized DOM: Chromium escapes `<` in text and attribute values are
    /// double-quoted with `"` escaped, so a simple scanner is exact here.
    static func tags(in dom: String) -> [(name: String, attributes: [(String, String)])] {
        var result: [(String, [(String, String)])] = []
        let chars = Array(dom.unicodeScalars)
        var i = 0
        var inRawText: String?  // inside <style> or <script> (raw text elements)
        while i < chars.count {
            guard chars[i] == "<" else { i += 1; continue }
            if let raw = inRawText {
                let closing = "</\(raw)"
                if String(String.UnicodeScalarView(chars[i..<min(chars.count, i + closing.unicodeScalars.count)])).lowercased() == closing {
                    inRawText = nil
                }
                i += 1
                continue
            }
            var j = i + 1
            if j < chars.count, chars[j] == "/" || chars[j] == "!" { i = j; continue }
            var name = ""
            while j < chars.count, chars[j] != " ", chars[j] != ">", chars[j] != "/" { name.unicodeScalars.append(chars[j]); j += 1 }
            var attributes: [(String, String)] = []
            while j < chars.count, chars[j] != ">" {
                while j < chars.count, chars[j] == " " || chars[j] == "/" { j += 1 }
                var attr = ""
                while j < chars.count, chars[j] != "=", chars[j] != " ", chars[j] != ">" { attr.unicodeScalars.append(chars[j]); j += 1 }
                var value = ""
                if j < chars.count, chars[j] == "=" {
                    j += 2  // ="
                    while j < chars.count, chars[j] != "\"" { value.unicodeScalars.append(chars[j]); j += 1 }
                    j += 1
                }
                if !attr.isEmpty { attributes.append((attr.lowercased(), value)) }
            }
            let lower = name.lowercased()
            result.append((lower, attributes))
            if lower == "style" || lower == "script" { inRawText = lower }
            i = j
        }
        return result
    }
}
