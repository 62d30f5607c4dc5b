// MARK: - RatingOptions: how verdicts become ratings

/// How verdicts become Bradley-Terry ratings, and how those ratings are put on the Elo scale.
///
/// The defaults follow Chatbot Arena: ties count as half a win each, ratings are 400·log10 odds
/// centered on 1000, intervals are 2.5/97.5 percentiles of 1,000 bootstrap rounds.
public struct RatingOptions: Codable, Equatable, Sendable {
    /// How ties enter the likelihood.
    public enum TieModel: String, Codable, Sendable, CaseIterable {
        /// A tie is half a win for each side (Chatbot Arena).
        case half
        /// Davidson (1970): P(tie) = ν·√(πᵢπⱼ) / (πᵢ + πⱼ + ν·√(πᵢπⱼ)), with ν fitted.
        case davidson
    }

    /// A covariate controlled for (its effect fitted and removed from the ratings).
    public enum Control: String, Codable, Sendable, CaseIterable {
        /// The normalized length difference (|A| − |B|) / (|A| + |B|) of the two outputs.
        case length
    }

    /// A fixed point of the Elo scale: `model` is pinned to `rating`.
    public struct Anchor: Codable, Equatable, Sendable {
        public var model: String
        public var rating: Double
        public init(model: String, rating: Double) { self.model = model; self.rating = rating }

        /// Parses `MODEL=RATING` (the model name may itself contain `=`; the last one splits).
        public init?(parsing text: String) {
            guard let eq = text.lastIndex(of: "="), eq != text.startIndex,
                  let rating = Double(text[text.index(after: eq)...]), rating.isFinite else { return nil }
            self.init(model: String(text[..<eq]), rating: rating)
        }
    }

    public var ties: TieModel = .half
    /// How many wins a decisive verdict (A>>B) counts for; a plain win (A>B) counts once.
    public var strongWinWeight: Double = 3
    /// Strength α of the Gaussian prior on the log-strengths θ: the fit minimizes
    /// `−log L(θ) + α·Σθᵢ²` (choix's `alpha`, exactly), i.e. θᵢ ~ N(0, 1/(2α)).
    ///
    /// The default 0.05 is an SD of 3.16 logits (≈ 550 Elo): negligible once a model has a few
    /// dozen comparisons, yet a model that never lost (or never won) gets a finite rating —
    /// 10 wins and no loss against a 1000-rated field gives ≈ 1580, not infinity.
    /// 0 is the plain maximum-likelihood fit, which anchored ratings are usually quoted in; it fails,
    /// naming the models, when one never lost or never won (``RankError/infiniteMaximumLikelihood(neverLost:neverWon:tieParameter:)``).
    public var prior: Double = 0.05
    public var control: Control?
    /// nil: ratings centered so that their mean is `center`.
    public var anchor: Anchor?
    public var center: Double = 1000
    /// Bootstrap rounds for the intervals; 0 skips the bootstrap (intervals collapse to the estimate).
    public var bootstrapRounds: Int = 1000
    public var seed: UInt64 = 1
    /// Two-sided confidence level of the percentile intervals.
    public var confidence: Double = 0.95

    public init() {}

    /// Throws `RankError.invalidOption` for values that make no sense together.
    public func validate() throws {
        guard strongWinWeight.isFinite, strongWinWeight >= 1 else {
            throw RankError.invalidOption("the weight of a decisive win must be ≥ 1 (got \(strongWinWeight))")
        }
        guard prior.isFinite, prior >= 0 else {
            throw RankError.invalidOption("the prior strength must be ≥ 0 (got \(prior)); 0 is the plain maximum-likelihood fit")
        }
        guard bootstrapRounds >= 0 else {
            throw RankError.invalidOption("bootstrap rounds must be ≥ 0 (got \(bootstrapRounds))")
        }
        guard confidence > 0, confidence < 1 else {
            throw RankError.invalidOption("the confidence level must lie in (0, 1) (got \(confidence))")
        }
        if ties == .davidson, control == .length {
            throw RankError.invalidOption("length control uses ties as half wins; drop the Davidson tie model or the length control")
        }
    }
}
