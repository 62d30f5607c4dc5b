// MARK: - Invariants of the rating vector

extension BradleyTerryFit {
    /// Checks, in debug builds only, what every fit promises: one finite log-strength per model, models
    /// sorted and distinct, θ centered (Σθ = 0 up to rounding), a positive finite ν, a positive length scale,
    /// a log-likelihood ≤ 0. Release builds compile it to nothing (swift-collections' `_checkInvariants`).
    @inline(__always)
    func _checkInvariants() {
        #if DEBUG
        precondition(theta.count == models.count, "BradleyTerryFit: \(theta.count) log-strengths for \(models.count) models")
        precondition(zip(models, models.dropFirst()).allSatisfy { $0 < $1 }, "BradleyTerryFit: models not sorted and distinct")
        precondition(theta.allSatisfy(\.isFinite), "BradleyTerryFit: a log-strength is not finite")
        let sum = theta.reduce(0, +), scale = theta.reduce(0) { $0 + abs($1) }
        precondition(abs(sum) <= 1e-9 * max(1, scale), "BradleyTerryFit: θ not centered (Σθ = \(sum))")
        if let nu = tieParameter { precondition(nu > 0 && nu.isFinite, "BradleyTerryFit: tie parameter ν = \(nu)") }
        if let beta = lengthCoefficient { precondition(beta.isFinite, "BradleyTerryFit: length coefficient β = \(beta)") }
        if let scale = lengthScale { precondition(scale > 0 && scale.isFinite, "BradleyTerryFit: length scale \(scale)") }
        precondition(logLikelihood <= 0 && logLikelihood.isFinite, "BradleyTerryFit: log-likelihood \(logLikelihood)")
        #endif
    }
}
