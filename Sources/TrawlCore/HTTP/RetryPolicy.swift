public import Foundation

/// How the HTTP layer retries: jittered exponential backoff, and how long it is willing to sleep
/// for a server's `Retry-After` or rate-limit reset before giving up with `.rateLimited`.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The longest `Retry-After`/reset wait honoured by sleeping; a longer one ends the request
    /// with `HTTPFetchError.rateLimited` so the caller can stop cleanly and resume later.
    public var maxWait: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30), maxWait: Duration = .seconds(120)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxWait = maxWait
    }

    public static let standard = RetryPolicy()

    /// Full jitter: a random delay in [base·2^(attempt-1) / 2, base·2^(attempt-1)], capped.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = baseDelay > maxDelay / (1 << exponent) ? maxDelay : min(baseDelay * (1 << exponent), maxDelay)
        let seconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) / 1e18
        return .seconds(seconds * Double.random(in: 0.5...1.0))
    }

    /// The longest wait any upstream header can ask for. Past `maxWait` a request already stops with
    /// `.rateLimited`; this bound only keeps `now + wait` computable for `inf`, `1e30` and the like.
    public static let longestHonouredWait: Duration = .seconds(7 * 24 * 3600)

    /// Parses `Retry-After`: delta-seconds or an HTTP date, clamped to `0...longestHonouredWait`
    /// (negative, `nan` → 0; `inf`, `1e30` → the bound). Unparseable text → nil.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.utf8.count <= 64 else { return nil }
        if let seconds = Double(value) { return BoundedNumber.wait(seconds: seconds, limit: longestHonouredWait) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return BoundedNumber.wait(seconds: date.timeIntervalSince(now), limit: longestHonouredWait)
    }
}
