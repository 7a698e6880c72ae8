/// What a worker can run: one closure per job kind. The worker claims only kinds it has.
public struct JobHandlers: Sendable {
    public typealias Handler = @Sendable (ClaimedJob) async throws -> Void

    public private(set) var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func register(_ kind: String, _ handler: @escaping Handler) {
        handlers[kind] = handler
    }

    public var kinds: [String] { handlers.keys.sorted() }

    public subscript(kind: String) -> Handler? { handlers[kind] }
}
