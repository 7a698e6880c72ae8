/// At most `count` request starts per sliding `window` on one host: services that publish a
/// per-minute quota (pypistats: 30/min) as well as a per-second rate get both honoured.
public struct RequestBudget: Sendable, Equatable {
    public var count: Int
    public var window: Duration

    public init(count: Int, per window: Duration) {
        self.count = max(1, count)
        self.window = window
    }
}
