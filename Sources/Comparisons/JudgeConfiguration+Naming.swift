import Store

// MARK: - Naming a judge configuration

extension JudgeConfiguration {
    /// Eight hex digits that name the configuration among others (`judge rank --list-judges` shows
    /// them; `--judge` accepts them): the start of the content key of all five fields.
    public var shortID: String {
        String(ContentKey.make([judgeModel, templateID, templateVersion,
                                temperature.map { "\($0)" } ?? "-", maxTokens.map { "\($0)" } ?? "-"]).prefix(8))
    }

    /// `NAME@TEMPLATE`, the short form `--judge` accepts (with `@VERSION` when needed).
    public var selector: String { "\(judgeModel)@\(templateID)" }

    /// For reports and messages: "gpt-4o, template pairwise v1 (text verdicts), temperature 0, max_tokens 1024".
    public var description: String {
        let version = templateVersion.first?.isNumber == true ? "v\(templateVersion)" : templateVersion
        var text = "\(judgeModel), template \(templateID) \(version) (\(verdictMode.rawValue) verdicts)"
        if let temperature, let maxTokens {
            text += ", temperature \(Self.format(temperature)), max_tokens \(maxTokens)"
        } else {
            text += ", sampling settings not recorded (judged before schema v3)"
        }
        return text
    }

    /// Orders configurations: judge model, template, version, then settings (unrecorded first).
    var sortKey: String {
        [judgeModel, templateID, templateVersion, temperature.map { Self.format($0) } ?? "", maxTokens.map { "\($0)" } ?? ""]
            .joined(separator: "\u{1F}")
    }

    /// 0 and 1 without a decimal point; other values as Swift prints them (0.7).
    public static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }
}
