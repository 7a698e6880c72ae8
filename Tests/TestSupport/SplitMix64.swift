import Foundation

/// SplitMix64: a seeded generator, so generated collections and fuzz cases are the same on every run
/// (tests and benchmarks share it rather than each carrying a copy).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// Zipf-like: small indexes far more often, as words in real text.
    public mutating func skewed(_ n: Int, _ power: Double = 2.2) -> Int { min(n - 1, Int(pow(unit(), power) * Double(n))) }
    /// A heavy-tailed figure (stars, downloads): most small, a few huge.
    public mutating func pareto(_ scale: Double, _ alpha: Double) -> Int { Int(scale / pow(max(unit(), 1e-9), 1 / alpha)) - Int(scale) }
}
