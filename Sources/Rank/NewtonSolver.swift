// MARK: - NewtonSolver: damped Newton for the (convex) negative log-posteriors

/// Minimizes a smooth convex function by Newton's method with backtracking (Armijo) line search.
///
/// Every objective in `Rank` is convex (the Bradley-Terry, Davidson and covariate log-likelihoods
/// are concave — log-sum-exp of linear functions — and the Gaussian prior makes them strictly so),
/// so Newton converges quadratically from any start: a handful of iterations to ~1e-12.
/// Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1 and §3.5.
///
/// **The gauge.** The likelihood depends on differences of log-strengths only, so shifting every θ by
/// the same amount changes nothing: along u = (1, …, 1, 0 …) (ones on the `gauge` parameters) the
/// Hessian has only the prior's curvature 2α. With α = 0 it is singular, and with a tiny α (1e-9) the
/// Newton system is so ill-conditioned that rounding keeps the steps from ever getting small. The
/// solver therefore works in the plane Σθ = 0, where the optimum lies for every α > 0 (the prior's
/// gradient 2αθ is orthogonal to u there, the data's always is) and which fixes the gauge for α = 0:
/// it solves (H + c·uuᵀ)δ = −g with c·|u|² the mean diagonal of the gauge block — u is an
/// eigenvector of H (eigenvalue 2α), so on the plane this is exactly Newton's step — and removes the
/// rounding's drift along u from every iterate. The plain maximum-likelihood fit (α = 0) then
/// converges whenever it exists (see `Likelihood.requireFiniteMaximum()`).
struct NewtonSolver {
    /// Stop once the largest Newton step component is below this.
    var stepTolerance = 1e-10
    /// Below this largest step component, full Newton steps are taken without a line search.
    var quadraticRegion = 1e-5
    var maxIterations = 100

    /// The objective's value, gradient (p) and Hessian (p × p, row-major) at a point.
    typealias Evaluation = (value: Double, gradient: [Double], hessian: [Double])
    /// The objective's gradient (p) and Hessian (p × p, row-major) at a point.
    typealias Derivatives = (gradient: [Double], hessian: [Double])

    /// - Parameters:
    ///   - value: the objective, evaluated only by the line search (once per trial; the accepted
    ///     trial's value is reused by the next iteration, never recomputed).
    ///   - derivatives: gradient and Hessian.
    ///   - gauge: the parameters whose common shift leaves the objective's data term unchanged (the
    ///     log-strengths); the iterates are kept on the plane where they sum to 0.
    func minimize(from start: [Double], gauge: Range<Int>, value: ([Double]) -> Double,
                  derivatives: ([Double]) -> Derivatives) throws -> (x: [Double], iterations: Int) {
        var x = start
        Self.center(&x, gauge)
        var f: Double? = nil   // the value at x, computed only when a line search needs it
        let p = x.count
        for iteration in 1...maxIterations {
            var (g, h) = derivatives(x)
            Self.fixGauge(&h, &g, gauge, size: p)
            var step = g.map { -$0 }
            guard Cholesky.solve(h, &step, size: p) else { throw RankError.notConverged(iterations: iteration) }
            Self.center(&step, gauge)
            let largest = step.reduce(0) { max($0, abs($1)) }
            if largest < quadraticRegion {
                // Near the optimum of a smooth convex function the full Newton step is safe, and an
                // Armijo test on values equal to ~1e-12 relative would only measure rounding.
                for k in 0..<p { x[k] += step[k] }
                f = nil
                if largest < stepTolerance { return (x, iteration) }
                continue
            }
            let fx = f ?? value(x)
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }   // gᵀδ < 0 for a descent direction
            var t = 1.0
            var candidate = x
            while true {
                for k in 0..<p { candidate[k] = x[k] + t * step[k] }
                let trial = value(candidate)
                if trial <= fx + 1e-4 * t * slope || t < 1e-10 { f = trial; break }
                t *= 0.5
            }
            x = candidate
            if largest * t < stepTolerance { return (x, iteration) }
        }
        throw RankError.notConverged(iterations: maxIterations)
    }

    // MARK: - Gauge

    /// Adds c·uuᵀ to the Hessian (c·|u|² the mean of its gauge diagonal, so the system stays as well
    /// conditioned as the data make it) and removes the gradient's component along u, which only the
    /// rounding of a point slightly off the plane puts there.
    static func fixGauge(_ h: inout [Double], _ g: inout [Double], _ gauge: Range<Int>, size p: Int) {
        let m = gauge.count
        guard m > 1 else { return }
        var diagonal = 0.0
        for k in gauge { diagonal += h[k * p + k] }
        let c = diagonal / Double(m) / Double(m)
        guard c > 0, c.isFinite else { return }
        for k in gauge { for l in gauge { h[k * p + l] += c } }
        center(&g, gauge)
    }

    /// Subtracts the mean of the gauge parameters from each of them.
    static func center(_ x: inout [Double], _ gauge: Range<Int>) {
        guard gauge.count > 1 else { return }
        var mean = 0.0
        for k in gauge { mean += x[k] }
        mean /= Double(gauge.count)
        for k in gauge { x[k] -= mean }
    }
}

// MARK: - Cholesky

/// In-place Cholesky solve of a symmetric positive definite system (Golub & Van Loan, Alg. 4.2.1).
enum Cholesky {
    /// Solves `a · x = b` for x (returned in `b`); false when `a` is not positive definite.
    /// - Parameters:
    ///   - a: (n × n) row-major, symmetric; copied, not modified.
    ///   - b: (n) right-hand side, overwritten with the solution.
    static func solve(_ a: [Double], _ b: inout [Double], size n: Int) -> Bool {
        guard let l = factor(a, size: n) else { return false }
        substitute(l, &b, size: n)
        return true
    }

    /// Solves `L·Lᵀ · x = b` for x (returned in `b`), given the lower factor `l` (n × n, row-major).
    static func substitute(_ l: [Double], _ b: inout [Double], size n: Int) {
        // Forward: L y = b.
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * b[k] }
            b[i] = s / l[i * n + i]
        }
        // Backward: Lᵀ x = y.
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * b[k] }
            b[i] = s / l[i * n + i]
        }
    }

    /// The lower factor L (n × n, row-major) with a = L·Lᵀ, or nil if `a` is not positive definite.
    static func factor(_ a: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let root = d.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / root
            }
        }
        return l
    }

    /// The inverse of a symmetric positive definite matrix (n × n, row-major), or nil.
    static func inverse(_ a: [Double], size n: Int) -> [Double]? {
        var inv = [Double](repeating: 0, count: n * n)
        guard let l = factor(a, size: n) else { return nil }
        for col in 0..<n {
            var b = [Double](repeating: 0, count: n)
            b[col] = 1
            substitute(l, &b, size: n)
            for i in 0..<n { inv[i * n + col] = b[i] }
        }
        return inv
    }
}
