import Foundation

// MARK: - Battles files (Chatbot Arena JSONL)

extension Comparison {
    /// Reads a battles file in Chatbot Arena's JSONL format, one battle per line:
    ///
    /// ```json
    /// {"model_a": "m1", "model_b": "m2", "winner": "model_a", "task": "code"}
    /// ```
    /// - `winner`: `model_a`, `model_b`, `tie` or `tie (bothbad)` (required unless `outcome` is given).
    /// - `outcome` (ours): one of `A>>B`, `A>B`, `A=B`, `A=B (both bad)`, `B>A`, `B>>A`, for graded verdicts.
    /// - `strong` (ours, optional): `true` marks a decisive win (`A>>B`) when `winner` names a model.
    /// - `task` (optional); lengths (optional, for length control): `length_a`/`length_b`, or
    ///   Arena's `conv_metadata.sum_assistant_a_tokens`/`sum_assistant_b_tokens`.
    ///
    /// Blank lines are skipped; any other unreadable line throws `RankError.badBattle` with its
    /// line number — nothing is dropped silently.
    public static func readBattles(contentsOf url: URL) throws -> [Comparison] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RankError.invalidOption("cannot read battles file \(url.path): \(error.localizedDescription)")
        }
        return try parseBattles(data, file: url.path)
    }

    /// Parses battles JSONL from memory; `file` names the source in errors.
    public static func parseBattles(_ data: Data, file: String) throws -> [Comparison] {
        var comparisons: [Comparison] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNumber += 1
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[start..<end]
            start = end < data.endIndex ? data.index(after: end) : end
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            comparisons.append(try parseBattle(Data(line), file: file, line: lineNumber))
        }
        return comparisons
    }

    static func parseBattle(_ line: Data, file: String, line number: Int) throws -> Comparison {
        func fail(_ reason: String) -> RankError { .badBattle(file: file, line: number, reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: line), let dict = object as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard let a = dict["model_a"] as? String, !a.isEmpty else { throw fail("missing or empty \"model_a\"") }
        guard let b = dict["model_b"] as? String, !b.isEmpty else { throw fail("missing or empty \"model_b\"") }
        guard a != b else { throw fail("\"model_a\" and \"model_b\" are both '\(a)'") }

        let outcome: Outcome
        if let raw = dict["outcome"] {
            guard let text = raw as? String, let parsed = Outcome(rawValue: text) else {
                throw fail("\"outcome\" must be one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            outcome = parsed
        } else {
            guard let winner = dict["winner"] as? String else { throw fail("missing \"winner\"") }
            let strong: Bool
            switch dict["strong"] {
            case nil, is NSNull: strong = false
            case let flag as Bool: strong = flag
            default: throw fail("\"strong\" must be true or false")
            }
            switch winner {
            case "model_a": outcome = strong ? .aMuchBetter : .aBetter
            case "model_b": outcome = strong ? .bMuchBetter : .bBetter
            case "tie": outcome = .tie
            case "tie (bothbad)": outcome = .tieBothBad
            default: throw fail("\"winner\" is '\(winner)'; expected model_a, model_b, tie or tie (bothbad)")
            }
        }

        var task: String?
        switch dict["task"] {
        case nil, is NSNull: task = nil
        case let t as String: task = t
        default: throw fail("\"task\" must be a string")
        }

        func length(_ key: String, _ arenaKey: String) throws -> Int? {
            var value = dict[key]
            if value == nil || value is NSNull, let meta = dict["conv_metadata"] as? [String: Any] { value = meta[arenaKey] }
            switch value {
            case nil, is NSNull: return nil
            case let n as NSNumber:
                let d = n.doubleValue
                guard d >= 0, d == d.rounded(), d < 1e15 else { throw fail("\"\(key)\" must be a whole number ≥ 0") }
                return Int(d)
            default: throw fail("\"\(key)\" must be a number")
            }
        }
        return Comparison(modelA: a, modelB: b, outcome: outcome, task: task,
                          lengthA: try length("length_a", "sum_assistant_a_tokens"),
                          lengthB: try length("length_b", "sum_assistant_b_tokens"))
    }
}
