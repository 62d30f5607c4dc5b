import Foundation

// MARK: - EloScale: from log-strengths to ratings

/// Maps natural log-strengths θ to the Elo scale, 400·log10 odds: a 400-point gap is 10:1 odds.
///
/// Centered (mean rating = `center`, Chatbot Arena's 1000) or anchored (the anchor model has
/// exactly its given rating in the estimate and in every bootstrap round).
struct EloScale {
    static let pointsPerLogit = 400 / log(10.0)

    let anchorIndex: Int?
    let anchorRating: Double
    let center: Double

    init(models: [String], options: RatingOptions) throws {
        center = options.center
        if let anchor = options.anchor {
            guard let k = models.firstIndex(of: anchor.model) else {
                throw RankError.unknownAnchor(model: anchor.model, known: models)
            }
            anchorIndex = k
            anchorRating = anchor.rating
        } else {
            anchorIndex = nil
            anchorRating = options.center
        }
    }

    /// The log-strength the scale's reference point corresponds to.
    func referenceTheta(_ theta: ArraySlice<Double>) -> Double {
        if let a = anchorIndex { return theta[theta.startIndex + a] }
        return theta.reduce(0, +) / Double(theta.count)
    }

    /// Ratings for the first `count` entries of `theta`.
    func ratings(_ theta: ArraySlice<Double>) -> [Double] {
        let reference = referenceTheta(theta)
        return theta.map { anchorRating + Self.pointsPerLogit * ($0 - reference) }
    }
}
