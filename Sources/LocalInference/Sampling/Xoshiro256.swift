// MARK: - Xoshiro256

/// A seeded pseudo-random generator of our own: xoshiro256** (Blackman & Vigna, 2018),
/// its state filled from the seed with SplitMix64 as the authors recommend.
///
/// Why our own: `SystemRandomNumberGenerator` cannot be seeded and Foundation's generators differ between
/// platforms, while a sampled completion must come out the same for the same seed on any machine.
/// Only integer arithmetic is involved, so the stream of numbers is identical everywhere.
///
/// ```swift
/// var rng = Xoshiro256(seed: 42)
/// let u = rng.nextUnitDouble()   // in [0, 1)
/// ```
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable {
    /// The four 64-bit words of state; never all zero (SplitMix64 cannot produce four zeros in a row).
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform double in [0, 1) from the top 53 bits, the same on every platform.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public static func == (lhs: Xoshiro256, rhs: Xoshiro256) -> Bool {
        lhs.state == rhs.state
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

// MARK: - SplitMix64

/// SplitMix64 (Steele, Lea & Flood, 2014): spreads one 64-bit seed over xoshiro's 256 bits of state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
