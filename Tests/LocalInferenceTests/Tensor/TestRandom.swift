/// A small deterministic generator for tests (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Approximately normal (sum of uniforms), mean 0, standard deviation `scale`.
    mutating func normal(_ scale: Float = 1) -> Float {
        var s: Float = 0
        for _ in 0..<4 { s += uniform() }
        return (s - 2) * scale * 1.732
    }
}
