import Foundation

// MARK: - BradleyTerry: the maximum a-posteriori fit

/// A Bradley-Terry fit: log-strengths θ with P(i beats j) = 1 / (1 + e^−(θᵢ − θⱼ)).
///
/// The fit maximizes the weighted log-likelihood of the deduplicated comparisons minus the
/// Gaussian prior `α·Σθ²` (see `RatingOptions.prior`), by Newton's method to a step below 1e-10.
/// With α = 0 it is the plain maximum-likelihood fit (choix's `alpha=0`, scikit-learn's
/// `penalty=None`), which exists when every model has lost and won within the data, directly or
/// through others (Zermelo 1929; Ford 1957); otherwise the fit says which models never lost or won.
/// - Ties (`.half`): half a win for each side, as Chatbot Arena counts them.
/// - Ties (`.davidson`): P(i) ∝ πᵢ, P(j) ∝ πⱼ, P(tie) ∝ ν·√(πᵢπⱼ), with η = log ν fitted
///   (Davidson, "On extending the Bradley-Terry model to accommodate ties", JASA 1970).
/// - Length control: logit P(i beats j) = θᵢ − θⱼ + β·x, x the standardized normalized length
///   difference (Chatbot Arena's style control, Li et al. 2024); θ then has the length effect removed.
/// The prior applies to η and β as well, so every fit with α > 0 — also bootstrap rounds that happen
/// to contain no tie — has a finite optimum. At the optimum Σθᵢ = 0 exactly (the data term depends
/// on differences only), so θ is already centered; with α = 0 the solver picks that gauge.
///
/// ```swift
/// let fit = try BradleyTerryFit(comparisons, options: RatingOptions())
/// fit.theta(of: "ft-3")
/// ```
/// - Complexity: O(comparisons) to deduplicate, then O(cells·p + p³) per Newton iteration
///   (p models), about 6 iterations.
public struct BradleyTerryFit: Codable, Equatable, Sendable {
    /// Models sorted by name.
    public let models: [String]
    /// Log-strength (natural log-odds scale) of each model, in `models` order; mean 0.
    public let theta: [Double]
    /// Davidson's tie parameter ν (nil with ties as half wins).
    public let tieParameter: Double?
    /// Fitted length coefficient β (log-odds per RMS unit of the normalized length difference).
    public let lengthCoefficient: Double?
    /// The RMS of the raw normalized length difference that β is measured in.
    public let lengthScale: Double?
    /// Log-likelihood of the data (without the prior) at the fit.
    public let logLikelihood: Double
    public let iterations: Int

    public init(_ comparisons: [Comparison], options: RatingOptions) throws {
        try options.validate()
        let design = try ComparisonDesign(comparisons, options: options)
        let totals = design.cellTotals(groupCounts: design.groupCount)
        let solved = try Likelihood(design: design, totals: totals, prior: options.prior).fit()
        self.init(design: design, parameters: solved.x, iterations: solved.iterations,
                  logLikelihood: Likelihood(design: design, totals: totals, prior: 0).value(solved.x))
    }

    init(design: ComparisonDesign, parameters: [Double], iterations: Int, logLikelihood: Double) {
        let n = design.modelCount
        models = design.models
        theta = Array(parameters[0..<n])
        tieParameter = design.tieModel == .davidson ? exp(parameters[n]) : nil
        lengthCoefficient = design.hasCovariate ? parameters[n] : nil
        lengthScale = design.lengthScale
        self.logLikelihood = -logLikelihood
        self.iterations = iterations
        _checkInvariants()
    }

    public func theta(of model: String) -> Double? {
        models.firstIndex(of: model).map { theta[$0] }
    }

    /// P(i beats j) counting a tie as half a win, from the model (length difference 0).
    public func expectedScore(_ i: Int, _ j: Int) -> Double {
        Self.expectedScore(theta[i] - theta[j], tieParameter: tieParameter)
    }

    static func expectedScore(_ d: Double, tieParameter: Double?) -> Double {
        guard let nu = tieParameter else { return 1 / (1 + exp(-d)) }
        let s = d / 2
        let denominator = exp(s) + exp(-s) + nu
        return (exp(s) + nu / 2) / denominator
    }
}

// MARK: - Likelihood

/// The negative log-posterior of a design's cell totals, with its gradient and Hessian.
struct Likelihood {
    let design: ComparisonDesign
    let totals: CellTotals
    let prior: Double

    /// The minimizer, on the plane Σθ = 0 (see `NewtonSolver`).
    /// - Throws: `RankError.infiniteMaximumLikelihood` when `prior` is 0 and the data have no finite
    ///   maximum; `RankError.notConverged` when Newton's method fails.
    func fit(from start: [Double]? = nil) throws -> (x: [Double], iterations: Int) {
        if prior == 0 { try requireFiniteMaximum() }
        return try NewtonSolver().minimize(from: start ?? initialParameters(), gauge: 0..<design.modelCount,
                                           value: value, derivatives: derivatives)
    }

    /// θ = 0; η from the tie share at equal strengths (ν / (2 + ν) = share); β = 0.
    func initialParameters() -> [Double] {
        var x = [Double](repeating: 0, count: design.parameterCount)
        if design.tieModel == .davidson {
            let ties = totals.ties.reduce(0, +)
            let all = ties + totals.winsI.reduce(0, +) + totals.winsJ.reduce(0, +)
            let share = min(max(ties / max(all, 1), 0.01), 0.9)
            x[design.modelCount] = log(2 * share / (1 - share))
        }
        return x
    }

    // MARK: Value

    func value(_ x: [Double]) -> Double {
        let n = design.modelCount
        var f = 0.0
        for k in 0..<x.count { f += prior * x[k] * x[k] }
        if design.tieModel == .davidson {
            let eta = x[n]
            for c in 0..<design.cellCount {
                let wi = totals.winsI[c], wj = totals.winsJ[c], t = totals.ties[c]
                let total = wi + wj + t
                if total == 0 { continue }
                let s = (x[design.cellI[c]] - x[design.cellJ[c]]) / 2
                f -= (wi - wj) * s + t * eta - total * Davidson.logDenominator(s, eta: eta)
            }
        } else {
            let beta = design.hasCovariate ? x[n] : 0
            for c in 0..<design.cellCount {
                let wi = totals.winsI[c], wj = totals.winsJ[c]
                if wi + wj == 0 { continue }
                let z = x[design.cellI[c]] - x[design.cellJ[c]] + beta * design.cellX[c]
                // wᵢ·log(1 + e⁻ᶻ) + wⱼ·log(1 + eᶻ), with log(1 + eᶻ) = log(1 + e⁻ᶻ) + z: one softplus.
                f += (wi + wj) * softplus(-z) + wj * z
            }
        }
        return f
    }

    // MARK: Gradient and Hessian

    func evaluate(_ x: [Double]) -> NewtonSolver.Evaluation {
        let (g, h) = derivatives(x)
        return (value(x), g, h)
    }

    func derivatives(_ x: [Double]) -> NewtonSolver.Derivatives {
        let n = design.modelCount, p = x.count
        var g = [Double](repeating: 0, count: p)          // (p)
        var h = [Double](repeating: 0, count: p * p)      // (p × p) row-major
        for k in 0..<p {
            g[k] = 2 * prior * x[k]
            h[k * p + k] = 2 * prior
        }
        if design.tieModel == .davidson {
            let eta = x[n], e = n
            for c in 0..<design.cellCount {
                let wi = totals.winsI[c], wj = totals.winsJ[c], t = totals.ties[c]
                let total = wi + wj + t
                if total == 0 { continue }
                let i = design.cellI[c], j = design.cellJ[c]
                let d = Davidson.terms((x[i] - x[j]) / 2, eta: eta)
                // Derivatives of the negative log-likelihood in s = (θᵢ − θⱼ)/2 and η.
                let gs = -(wi - wj) + total * d.m
                let ge = -t + total * d.pTie
                let hss = total * (d.c - d.m * d.m)
                let hse = -total * d.m * d.pTie
                let hee = total * d.pTie * (1 - d.pTie)
                g[i] += gs / 2; g[j] -= gs / 2; g[e] += ge
                h[i * p + i] += hss / 4; h[j * p + j] += hss / 4
                h[i * p + j] -= hss / 4; h[j * p + i] -= hss / 4
                h[i * p + e] += hse / 2; h[e * p + i] += hse / 2
                h[j * p + e] -= hse / 2; h[e * p + j] -= hse / 2
                h[e * p + e] += hee
            }
        } else {
            let covariate = design.hasCovariate
            let beta = covariate ? x[n] : 0, b = n
            for c in 0..<design.cellCount {
                let wi = totals.winsI[c], wj = totals.winsJ[c]
                let total = wi + wj
                if total == 0 { continue }
                let i = design.cellI[c], j = design.cellJ[c], xc = design.cellX[c]
                let z = x[i] - x[j] + beta * xc
                let sig = sigmoid(z)
                let gz = total * sig - wi                   // d(−log L)/dz
                let hz = total * sig * (1 - sig)            // d²(−log L)/dz²
                g[i] += gz; g[j] -= gz
                h[i * p + i] += hz; h[j * p + j] += hz
                h[i * p + j] -= hz; h[j * p + i] -= hz
                if covariate {
                    g[b] += gz * xc
                    h[i * p + b] += hz * xc; h[b * p + i] += hz * xc
                    h[j * p + b] -= hz * xc; h[b * p + j] -= hz * xc
                    h[b * p + b] += hz * xc * xc
                }
            }
        }
        return (g, h)
    }
}

// MARK: - Numerics

@inline(__always) func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

/// log(1 + eᶻ) without overflow.
@inline(__always) func softplus(_ z: Double) -> Double {
    z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
}

/// Davidson's denominator D = eˢ + e⁻ˢ + ν and its derivatives, computed with e^−|s| factored out.
enum Davidson {
    /// log(eˢ + e⁻ˢ + e^η).
    static func logDenominator(_ s: Double, eta: Double) -> Double {
        let a = abs(s), q = exp(-a)
        return a + log(1 + q * q + exp(eta) * q)
    }

    /// m = ∂log D/∂s, c = (eˢ + e⁻ˢ)/D = ∂²log D/∂s² + m², pTie = ν/D.
    static func terms(_ s: Double, eta: Double) -> (m: Double, c: Double, pTie: Double) {
        let a = abs(s), q = exp(-a), q2 = q * q, nuq = exp(eta) * q
        let dPrime = 1 + q2 + nuq
        let m = (s >= 0 ? 1.0 : -1.0) * (1 - q2) / dPrime
        return (m, (1 + q2) / dPrime, nuq / dPrime)
    }
}
