import Foundation
@testable import Rank

/// The committed reference fixtures under Tests/RankTests/Fixtures/agreement
/// (written by scripts/reference/agreement_reference.py with scikit-learn, scipy and numpy).
enum AgreementFixtures {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/agreement/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/agreement/\(name)"])
        }
        return try Data(contentsOf: url)
    }

    static func objects(_ name: String) throws -> [[String: Any]] {
        try String(decoding: data(name), as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// The votes of the raters `rater` accepts (by the line's "judge").
    static func votes(_ rater: (String) -> Bool) throws -> [Vote] {
        try objects("votes.jsonl").filter { rater($0["judge"] as! String) }.map { o in
            let outcome: Outcome
            switch o["winner"] as! String {
            case "model_a": outcome = .aBetter
            case "model_b": outcome = .bBetter
            case "tie (bothbad)": outcome = .tieBothBad
            default: outcome = .tie
            }
            return Vote(item: "\(o["question_id"]!)", modelA: o["model_a"] as! String, modelB: o["model_b"] as! String, outcome: outcome)
        }
    }

    static func pairs() throws -> [OrderedVerdicts] {
        try objects("reliability.jsonl").map { o in
            OrderedVerdicts(aFirst: (o["a_first"] as? String).flatMap(PositionVerdict.init(rawValue:)),
                            bFirst: (o["b_first"] as? String).flatMap(PositionVerdict.init(rawValue:)),
                            lengthA: o["length_a"] as? Int, lengthB: o["length_b"] as? Int)
        }
    }

    static func expected(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: data(name))
    }
}
