import ArgumentParser
import Rank
import Suite

/// The rating options of every command that rates — `rank`, `overfit`, `report`, `leaderboard` and
/// `compare` — declared once: anchor, bootstrap, seed, covariate control, tie model, strong-win weight, prior.
struct RatingArguments: ParsableArguments {
    @Option(name: .long, help: "Pin a model's rating, e.g. gpt-4=1000 (default: mean rating 1000).")
    var anchor: String?
    // `.unconditional`: `--bootstrap -1` is a value to refuse with the range, not a missing value.
    @Option(name: .long, parsing: .unconditional, help: "Bootstrap rounds for the 95% intervals (0: none; at most 100000).")
    var bootstrap = 1000
    @Option(name: .long, help: "Seed of the bootstrap (the same store and seed give the same ratings).")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Control for a covariate: length.")
    var control: RatingOptions.Control?
    @Option(name: .long, help: "Tie model: half (a tie is half a win) or davidson.")
    var ties: RatingOptions.TieModel = .half
    @Option(name: .long, help: "How many wins a decisive verdict (A>>B) counts for.")
    var strongWeight: Double = 3
    @Option(name: .long, help: "Gaussian prior strength α on log-strengths (minimizes −log L + α·Σθ²; 0: the plain maximum likelihood).")
    var prior: Double = 0.05

    var options: RatingOptions {
        var o = RatingOptions()
        o.ties = ties
        o.control = control
        o.strongWinWeight = strongWeight
        o.prior = prior
        o.anchor = anchor.flatMap(RatingOptions.Anchor.init(parsing:))
        o.bootstrapRounds = bootstrap
        o.seed = seed
        return o
    }

    /// The checks of `validate()`: a well-formed anchor, bootstrap ≥ `minimumBootstrap`, options Rank accepts.
    func check(minimumBootstrap: Int = 0) throws {
        if let anchor, RatingOptions.Anchor(parsing: anchor) == nil {
            throw ValidationError("--anchor must be MODEL=RATING, e.g. gpt-4=1000 (got '\(anchor)')")
        }
        try SettingCheck.check(bootstrap, SettingLimits.bootstrapRounds, option: "--bootstrap")
        if bootstrap < minimumBootstrap {
            throw ValidationError("--bootstrap must be ≥ \(minimumBootstrap): the verdict rests on the intervals")
        }
        do { try options.validate() } catch { throw ValidationError("\(error)") }
    }
}

extension RatingOptions.Control: ExpressibleByArgument {}
extension RatingOptions.TieModel: ExpressibleByArgument {}
