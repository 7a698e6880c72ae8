public import NIOCore

/// Timeouts for HTTP clients in tests. A test's outcome must not depend on how fast a loaded 2-core
/// machine answers: at the start of a full parallel run, with other builds beside it, a loopback
/// answer has been seen to take over 5 s, and a timed-out request is retried — one request became
/// two, thirty became thirty-three. So a test's client waits far longer than any stall seen; only a
/// server that really hangs (a bug) reaches these, and then the test fails instead of passing slowly.
/// A test about timeouts sets its own short one on purpose.
public enum TestTimeouts {
    /// Reading a whole answer.
    public static let request: Duration = .seconds(300)
    /// Establishing a loopback connection.
    public static let connect: Duration = .seconds(120)
    /// `request` as AsyncHTTPClient's `execute(_:timeout:)` takes it.
    public static let clientRequest: TimeAmount = .seconds(300)
}
