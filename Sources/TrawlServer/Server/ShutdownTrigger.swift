public import ServiceLifecycle
import Synchronization

/// Asks a running `TrawlHTTPServer.run` for the graceful shutdown a SIGTERM gives: the listener
/// closes, every accepted connection is served to its end, then `run` returns.
///
/// Cancelling the task that runs the server is not the same: SwiftNIO's async server channel can
/// hold connections that were accepted but not yet handed to the accept loop, and cancelling the
/// loop drops them without closing their writers, which ends the process in a debug build
/// (apple/swift-nio#2637). Whoever embeds the server — the tests above all, which start and stop
/// hundreds — stops it through this instead.
public final class ShutdownTrigger: Sendable {
    private struct State {
        var group: ServiceGroup?
        var requested = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Starts the graceful shutdown (now, or as soon as the server runs).
    public func trigger() async {
        let group = state.withLock { state -> ServiceGroup? in
            state.requested = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Called by `run` with the group it is about to run; honours a trigger that came first.
    func attach(_ group: ServiceGroup) async {
        let requested = state.withLock { state -> Bool in
            state.group = group
            return state.requested
        }
        if requested { await group.triggerGracefulShutdown() }
    }
}
