import Foundation

/// The one seedable source of randomness in the package: xoshiro256** seeded through SplitMix64.
///
/// Every random tensor, initialiser, shuffle and sampler takes an `inout SeededGenerator`, so the
/// same seed gives the same numbers on every run and machine. It conforms to Swift's
/// `RandomNumberGenerator`, so `Int.random(in:using:)` and `shuffle(using:)` work with it.
///
/// Blackman and Vigna, "Scrambled Linear Pseudorandom Number Generators" (2018).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @usableFromInline @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    @inlinable
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal `Float` (mean 0, standard deviation 1), by the Box-Muller transform.
    @inlinable
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * 0x1.0p-53
        let u2 = Double(next() >> 11) * 0x1.0p-53
        let radius = (-2 * log(1 - u1)).squareRoot()   // 1 - u1 is in (0, 1]
        return Float(radius * cos(2 * Double.pi * u2))
    }

    /// A child generator for independent work (e.g. one per data loader), derived from this one.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}
