import Foundation
import XCTest
@testable import Rank

/// The committed reference fixtures under Tests/RankTests/Fixtures/rank
/// (written by scripts/reference/rank_reference.py with choix and scipy).
enum RankFixtures {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/rank/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/rank/\(name)"])
        }
        return url
    }

    static func battles(_ dataset: String) throws -> [Comparison] {
        try Comparison.readBattles(contentsOf: url("\(dataset).jsonl"))
    }

    struct Expected: Decodable {
        let dataset: String
        let ties: String
        let control: String?
        let prior: Double
        let strongWinWeight: Double
        let models: [String]
        let theta: [Double]
        let elo: [Double]
        let logLikelihood: Double
        let tieParameter: Double?
        let lengthCoefficient: Double?
        let lengthScale: Double?

        var options: RatingOptions {
            var o = RatingOptions()
            o.ties = RatingOptions.TieModel(rawValue: ties)!
            o.control = control.flatMap(RatingOptions.Control.init(rawValue:))
            o.prior = prior
            o.strongWinWeight = strongWinWeight
            return o
        }
    }

    static func expected(_ dataset: String) throws -> Expected {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Expected.self, from: Data(contentsOf: url("\(dataset).expected.json")))
    }

    struct CorrelationCase: Decodable {
        let x: [Double]
        let y: [Double]
        let kendallTauB: Double
        let spearmanRho: Double
    }

    static func correlations() throws -> [CorrelationCase] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([CorrelationCase].self, from: Data(contentsOf: url("correlation.json")))
    }
}

/// |actual − expected| ≤ relative · max(|expected|, floor): relative agreement, with a floor so
/// values near zero are not held to an impossible absolute standard.
func assertClose(_ actual: Double, _ expected: Double, relative: Double = 1e-6, floor: Double = 1e-3,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let bound = relative * max(abs(expected), floor)
    XCTAssert(abs(actual - expected) <= bound,
              "\(actual) vs \(expected) (|Δ| = \(abs(actual - expected)) > \(bound)) \(message())", file: file, line: line)
}
