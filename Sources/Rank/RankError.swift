// MARK: - RankError

/// Everything that can stop a rating, each with a message that says what to do.
public enum RankError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No comparisons at all (or none for the requested task).
    case noComparisons(task: String?)
    /// A comparison of a model with itself.
    case selfComparison(model: String)
    /// The comparison graph falls apart: models in different groups were never compared,
    /// directly or through others, so their ratings cannot be put on one scale.
    case disconnected(groups: [[String]])
    /// The anchor model does not occur in the comparisons.
    case unknownAnchor(model: String, known: [String])
    /// Length control needs both output lengths on every comparison.
    case missingLengths(count: Int, total: Int)
    /// Length control needs some variation in the length difference.
    case constantLengths
    /// The Newton iterations failed (a singular system); should not happen with a prior > 0.
    case notConverged(iterations: Int)
    /// Without a prior, the maximum-likelihood ratings are infinite: some groups of models never lost
    /// (or never won) against the others, or — Davidson's ties — the tie parameter has no finite value.
    case infiniteMaximumLikelihood(neverLost: [[String]], neverWon: [[String]], tieParameter: String? = nil)
    /// A line of a battles file that cannot be read.
    case badBattle(file: String, line: Int, reason: String)
    /// Invalid option values.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .noComparisons(let task):
            if let task { return "no comparisons for task '\(task)': check the task name, or judge that task first" }
            return "no comparisons to rate: judge some pairs first (judge compare), or pass --battles FILE"
        case .selfComparison(let model):
            return "comparison of '\(model)' with itself: a verdict needs two different models"
        case .disconnected(let groups):
            let list = groups.map { "{" + $0.joined(separator: ", ") + "}" }.joined(separator: " | ")
            return "the comparison graph is disconnected: these \(groups.count) groups were never compared with each other, "
                + "so their ratings share no scale: \(list). Compare models across the groups, or rate each group separately"
        case .unknownAnchor(let model, let known):
            return "anchor model '\(model)' has no comparisons; known models: \(known.joined(separator: ", "))"
        case .missingLengths(let count, let total):
            return "length control needs both output lengths: \(count) of \(total) comparisons lack them "
                + "(battles files: length_a/length_b or conv_metadata.sum_assistant_a_tokens/_b_tokens)"
        case .constantLengths:
            return "length control needs varied output lengths: every comparison has the same normalized length difference"
        case .notConverged(let iterations):
            return "the Bradley-Terry fit did not converge in \(iterations) Newton iterations; raise the prior strength"
        case .infiniteMaximumLikelihood(let neverLost, let neverWon, let tieParameter):
            func list(_ groups: [[String]]) -> String {
                groups.map { $0.count == 1 ? $0[0] : "{" + $0.joined(separator: ", ") + "}" }.joined(separator: ", ")
            }
            var reasons: [String] = []
            if !neverLost.isEmpty { reasons.append("\(list(neverLost)) never lost to the other models") }
            if !neverWon.isEmpty { reasons.append("\(list(neverWon)) never beat the other models") }
            if let tieParameter { reasons.append("\(tieParameter), so Davidson's tie parameter has no finite value") }
            return "without a prior (--prior 0) the maximum-likelihood ratings are infinite: "
                + reasons.joined(separator: "; ") + ". Use a prior > 0 (the default is 0.05), or judge more pairs"
        case .badBattle(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .invalidOption(let message):
            return message
        }
    }
}
