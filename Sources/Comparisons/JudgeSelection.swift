import Store

// MARK: - JudgeSelection: which configuration a reader rates

/// `--judge SPEC`: a judge configuration picked among those a store holds.
///
/// SPEC is `NAME` (the judge model), `NAME@TEMPLATE` (and its template id), `NAME@TEMPLATE@VERSION`,
/// or a configuration's ``JudgeConfiguration/shortID`` as `judge rank --list-judges` prints it. It
/// must match exactly one configuration.
public struct JudgeSelection: Sendable, Hashable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// Whether `configuration` is one this selection names.
    public func matches(_ configuration: JudgeConfiguration) -> Bool {
        if text == configuration.shortID { return true }
        let parts = text.split(separator: "@", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts[0] == configuration.judgeModel else { return false }
        if parts.count > 1, parts[1] != configuration.templateID { return false }
        if parts.count > 2, parts[2] != configuration.templateVersion { return false }
        return true
    }
}

/// Why no single configuration could be chosen: one line naming what the store holds.
public enum JudgeSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    case noMatch(JudgeSelection, suites: [String], available: [JudgeConfigurationCount])
    case ambiguous(JudgeSelection, matches: [JudgeConfigurationCount])
    case severalConfigurations(suites: [String], available: [JudgeConfigurationCount])
    case noJudgments(suites: [String])

    public var description: String {
        switch self {
        case .noMatch(let selection, let suites, let available):
            "--judge \(selection) matches no judge configuration of \(Self.names(suites)); the store holds: \(Self.list(available))"
        case .ambiguous(let selection, let matches):
            "--judge \(selection) matches \(matches.count) judge configurations: \(Self.list(matches)); pass NAME@TEMPLATE[@VERSION] or an id"
        case .severalConfigurations(let suites, let available):
            "\(Self.names(suites)) was judged by \(available.count) judge configurations and no suite file names the current one; pick one with --judge: \(Self.list(available))"
        case .noJudgments(let suites):
            "\(Self.names(suites)) has no judgments yet; run `judge compare` first"
        }
    }

    static func names(_ suites: [String]) -> String {
        (suites.count == 1 ? "suite " : "suites ") + suites.joined(separator: ", ")
    }

    public static func list(_ configurations: [JudgeConfigurationCount]) -> String {
        configurations.map { "\($0.configuration.shortID) = \($0.configuration.description) [\($0.judgments) judgments]" }
            .joined(separator: "; ")
    }
}

extension ComparisonReader {
    /// The configuration a reader rates: the one `selection` names among those that judged `suites`;
    /// without a selection, `current` (the suite file's judge, whether or not it has judged yet); without
    /// either, the only configuration stored.
    ///
    /// - Throws: ``JudgeSelectionError`` when the choice is empty or ambiguous.
    public func configuration(suites: [String], selection: JudgeSelection?, current: JudgeConfiguration?) throws -> JudgeConfiguration {
        if selection == nil, let current { return current }
        let available = try configurations(suites: suites)
        guard let selection else {
            guard let only = available.first else { throw JudgeSelectionError.noJudgments(suites: suites) }
            guard available.count == 1 else { throw JudgeSelectionError.severalConfigurations(suites: suites, available: available) }
            return only.configuration
        }
        if let exact = available.first(where: { $0.configuration.shortID == selection.text }) { return exact.configuration }
        let matches = available.filter { selection.matches($0.configuration) }
        guard let first = matches.first else {
            throw JudgeSelectionError.noMatch(selection, suites: suites, available: available)
        }
        guard matches.count == 1 else { throw JudgeSelectionError.ambiguous(selection, matches: matches) }
        return first.configuration
    }
}
