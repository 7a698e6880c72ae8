public import Foundation

/// Conversions of numbers that arrive from outside (a request parameter, an upstream's JSON or
/// header) into the fixed-width types the code computes with. Swift traps on an out-of-range
/// `Int64(someDouble)` or an overflowing `+`; a value from outside must never reach either, so
/// every such conversion goes through here and answers `nil` (or a clamp) instead of a trap.
public enum BoundedNumber {
    /// The magnitude any number from outside may have. Far above every real figure (timestamps,
    /// stars, download totals) and far enough below `Int64.max` that `± 1` never overflows.
    public static let magnitude: Int64 = 1 << 62

    /// An integer given as decimal text (`42`, `-7`, `+3`), or nil when it is not one or is out of
    /// `±magnitude`.
    public static func integer(_ text: some StringProtocol) -> Int64? {
        // `magnitude`, not `abs`: `abs(Int64.min)` itself traps.
        guard let value = Int64(text), value.magnitude <= UInt64(magnitude) else { return nil }
        return value
    }

    /// A finite double within `±magnitude`, or nil (`inf`, `nan`, `1e30`).
    public static func finite(_ value: Double) -> Double? {
        guard value.isFinite, abs(value) <= Double(magnitude) else { return nil }
        return value
    }

    /// A decimal number (`4.5`, `1e3`) as text, finite and within `±magnitude`, or nil.
    public static func decimal(_ text: some StringProtocol) -> Double? {
        Double(String(text)).flatMap(finite)
    }

    /// The double truncated toward zero, when it is finite and within `±magnitude`.
    public static func int64(_ value: Double) -> Int64? {
        finite(value).map { Int64($0.rounded(.towardZero)) }
    }

    /// The double as an `Int64` clamped into `lower...upper`; `nan` answers `lower`.
    public static func int64(clamping value: Double, to range: ClosedRange<Int64>) -> Int64 {
        guard !value.isNaN else { return range.lowerBound }
        if value <= Double(range.lowerBound) { return range.lowerBound }
        if value >= Double(range.upperBound) { return range.upperBound }
        return Int64(value)
    }

    /// The integer as `Int` clamped into `range` (for counts read from outside).
    public static func int(clamping value: Int64, to range: ClosedRange<Int>) -> Int {
        Int(Swift.min(Swift.max(value, Int64(range.lowerBound)), Int64(range.upperBound)))
    }

    /// A wait of `seconds` from outside (a `Retry-After`, a rate-limit reset) as a `Duration`
    /// within `0...limit`: negative and `nan` are 0, `inf` and anything past `limit` is `limit`.
    public static func wait(seconds: Double, limit: Duration) -> Duration {
        guard seconds.isFinite else { return seconds.isNaN ? .zero : (seconds > 0 ? limit : .zero) }
        guard seconds > 0 else { return .zero }
        let cap = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        return seconds >= cap ? limit : .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// The largest count (stars, downloads, issues) kept from an upstream: 10^15, so that sums and
    /// the trending formula's `× 4` stay far inside 64 bits in every store.
    public static let largestCount = 1_000_000_000_000_000

    /// A count from an upstream, within `0...largestCount`.
    public static func count(_ value: Int) -> Int {
        Swift.min(Swift.max(value, 0), largestCount)
    }
}
