import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) that tests use as a fake upstream service.
///
/// Every request is passed to the handler given to ``start(_:)``; its ``LoopbackResponse`` may also misbehave on
/// purpose (reset the connection, send a short body, answer late). Keep-alive, pipelining and many concurrent
/// connections are supported. Call ``shutdown()`` at the end of the test.
public final class LoopbackServer: Sendable {
    /// The TCP port the server listens on.
    public let port: Int

    private let core: LoopbackServerCore
    private let serverChannel: any Channel
    private let acceptLoop: Task<Void, Never>

    private init(port: Int, core: LoopbackServerCore, serverChannel: any Channel, acceptLoop: Task<Void, Never>) {
        self.port = port
        self.core = core
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
    }

    deinit {
        // A test that forgot `shutdown()` must not leave the listener running. Closing the listener
        // ends the accept loop after it has taken every connection already accepted (see `shutdown`).
        serverChannel.close(promise: nil)
    }

    /// Binds a new server to 127.0.0.1 on a free port and starts serving with `handler`.
    public static func start(
        _ handler: @escaping @Sendable (LoopbackRequest) async -> LoopbackResponse
    ) async throws -> LoopbackServer {
        let core = LoopbackServerCore(handler: handler)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configureLoopbackPipeline(channel.pipeline.syncOperations)
                    let connection = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                    core.hold(connection)
                    return connection
                }
            }
        guard let port = listener.channel.localAddress?.port else {
            try? await listener.channel.close()
            throw LoopbackServerError.noPort
        }
        let acceptLoop = Task { await core.run(listener) }
        return LoopbackServer(port: port, core: core, serverChannel: listener.channel, acceptLoop: acceptLoop)
    }

    /// "http://127.0.0.1:PORT", without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// How many complete requests have been received so far.
    public var requestCount: Int { core.state.withLock { $0.requests.count } }

    /// Requests for paths starting with `prefix`: a test that counts requests gives its own a unique
    /// prefix, so a stray request (another test's client still retrying an address this server's
    /// ephemeral port used to have) cannot change its count.
    public func requestCount(prefix: String) -> Int {
        core.state.withLock { $0.requests.filter { $0.path.hasPrefix(prefix) }.count }
    }

    /// Every path received, for failure messages.
    public var receivedPaths: [String] { core.state.withLock { $0.requests.map(\.path) } }

    /// The highest number of requests that were being served at the same time: a request counts from the moment
    /// its handler is called until its response (including any `.delayed` wait) has been written.
    public var maxInFlight: Int { core.state.withLock { $0.maxInFlight } }

    /// Every request received so far, in arrival order.
    public func requests() -> [LoopbackRequest] {
        core.state.withLock { $0.requests }
    }

    /// Stops listening, closes every open connection (cancelling handlers still running) and waits until
    /// everything has finished. Calling it again does nothing.
    ///
    /// The listener is closed first and the accept loop left to end by itself; `LoopbackServerCore`
    /// then closes every connection NIO accepted, served or not (see `hold`).
    public func shutdown() async throws {
        try? await serverChannel.close()
        await acceptLoop.value
    }
}

/// Errors of ``LoopbackServer`` itself.
public enum LoopbackServerError: Error, Sendable {
    /// The listening socket reported no local port.
    case noPort
}

// MARK: - Pipeline

/// HTTP/1.1 codec with pipelining assistance, then the gzip machinery: `GzipAlwaysAccepted` makes the compressor
/// believe every client accepts gzip, and the compressor's predicate compresses only responses that
/// `LoopbackServerCore` marked with `LoopbackHeader.gzipMarker` (removing the marker).
private func configureLoopbackPipeline(_ pipeline: ChannelPipeline.SynchronousOperations) throws {
    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
    try pipeline.addHandler(GzipAlwaysAccepted())
    try pipeline.addHandler(
        HTTPResponseCompressor(responseCompressionPredicate: { head, _ in
            guard head.headers.contains(name: LoopbackHeader.gzipMarker) else { return .doNotCompress }
            head.headers.remove(name: LoopbackHeader.gzipMarker)
            return .compressIfPossible
        })
    )
}

/// Internal header names of the gzip machinery.
enum LoopbackHeader {
    /// Response header that asks the compressor to gzip this response; never sent to the client.
    static let gzipMarker = "x-loopback-gzip"
    /// Request header that carries the client's own Accept-Encoding values past `GzipAlwaysAccepted`.
    static let originalAcceptEncoding = "x-loopback-original-accept-encoding"
}

/// Replaces the request's Accept-Encoding with `gzip` (stashing the client's values in
/// `LoopbackHeader.originalAcceptEncoding`, which `LoopbackRequest` turns back), so that `.gzip` responses are
/// compressed whatever the client asked for.
private final class GzipAlwaysAccepted: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let original = head.headers["accept-encoding"]
        head.headers.remove(name: "accept-encoding")
        for value in original {
            head.headers.add(name: LoopbackHeader.originalAcceptEncoding, value: value)
        }
        head.headers.add(name: "accept-encoding", value: "gzip")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}

// MARK: - Serving

/// The shared state and per-connection logic, owned by the accept loop (so the server object can be deinited).
final class LoopbackServerCore: Sendable {
    struct State {
        var requests: [LoopbackRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        /// Connections accepted and not yet being served, by channel.
        var unserved: [ObjectIdentifier: Connection] = [:]
        /// The accept loop has ended: a connection accepted now is closed at once.
        var closed = false
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let handler: @Sendable (LoopbackRequest) async -> LoopbackResponse
    let state = Mutex(State())

    init(handler: @escaping @Sendable (LoopbackRequest) async -> LoopbackResponse) {
        self.handler = handler
    }

    /// Keeps every accepted connection until it is served or closed. SwiftNIO's async server channel
    /// can accept a connection the accept loop never takes (one arriving as the listener closes), and
    /// a connection dropped without `executeThenClose` ends the test process (its writer was never
    /// finished; apple/swift-nio#2637). Holding it here, and closing what was never taken when the
    /// loop ends, leaves no connection to be dropped.
    func hold(_ connection: Connection) {
        let late = state.withLock { state -> Bool in
            if state.closed { return true }
            state.unserved[ObjectIdentifier(connection.channel)] = connection
            return false
        }
        if late { Task { try? await connection.executeThenClose { _, _ in } } }
    }

    /// Accepts connections until the listener closes or the task is cancelled; one child task per
    /// connection. Then closes the connections it never took.
    func run(_ listener: NIOAsyncChannel<Connection, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        // Taken: from here on its task serves and closes it.
                        _ = state.withLock { $0.unserved.removeValue(forKey: ObjectIdentifier(connection.channel)) }
                        group.addTask { await self.serve(connection) }
                    }
                }
            } catch {
                // The listener was closed or the loop cancelled: stop accepting.
            }
            group.cancelAll()
            let untaken = state.withLock { state in
                state.closed = true
                defer { state.unserved = [:] }
                return Array(state.unserved.values)
            }
            for connection in untaken {
                group.addTask { try? await connection.executeThenClose { _, _ in } }
            }
        }
    }

    /// Serves the requests of one connection in order until the client closes, a response ends the
    /// connection, or the server shuts down.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                    case .body(let buffer):
                        body.append(contentsOf: buffer.readableBytesView)
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        let keepOpen = try await respond(
                            to: requestHead, body: body, outbound: outbound, channel: connection.channel
                        )
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            // Client went away, parse error or shutdown: the connection is closed either way.
        }
    }

    /// Calls the handler and writes its response. Returns false when the connection must be closed.
    private func respond(
        to head: HTTPRequestHead,
        body: [UInt8],
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        channel: any Channel
    ) async throws -> Bool {
        let request = LoopbackRequest(head: head, body: body)
        state.withLock { state in
            state.requests.append(request)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
        }
        defer { state.withLock { $0.inFlight -= 1 } }

        var plan = ResponsePlan(await handler(request))
        if head.method == .HEAD {
            plan.gzip = false  // a HEAD response has no body to compress
        }
        if plan.delay > .zero {
            try await Task.sleep(for: plan.delay)
        }

        switch plan.outcome {
        case .reset:
            return false

        case .respond(let status, let headers, let responseBody):
            let closeAfter = !head.isKeepAlive
                || headers.contains { $0.0.lowercased() == "connection" && $0.1.lowercased() == "close" }
            var responseHead = HTTPResponseHead(
                version: head.version,
                status: HTTPResponseStatus(statusCode: status),
                headers: Self.headers(headers, contentLength: responseBody.count, gzip: plan.gzip)
            )
            if closeAfter, !responseHead.headers.contains(name: "connection") {
                responseHead.headers.add(name: "connection", value: "close")
            }
            var parts: [HTTPServerResponsePart] = [.head(responseHead)]
            // HEAD, 1xx, 204 and 304 responses carry no body (NIO's encoder also drops their framing headers).
            if head.method != .HEAD, responseHead.status.mayHaveResponseBody {
                parts.append(.body(.byteBuffer(ByteBuffer(bytes: responseBody))))
            }
            parts.append(.end(nil))
            // One batch with one flush, so the compressor sees the whole response and sets Content-Length.
            try await outbound.write(contentsOf: parts)
            if closeAfter {
                await Self.drain(channel)
                return false
            }
            return true

        case .truncated(let status, let headers, let responseBody, let declaredLength):
            var responseHead = HTTPResponseHead(
                version: head.version,
                status: HTTPResponseStatus(statusCode: status),
                headers: Self.headers(headers, contentLength: declaredLength, gzip: plan.gzip)
            )
            responseHead.headers.replaceOrAdd(name: "connection", value: "close")
            // No `.end`: the response stays incomplete. (With gzip the compressor turns it into a chunked stream
            // that is cut off without its final chunk.)
            try await outbound.write(contentsOf: [
                .head(responseHead), .body(.byteBuffer(ByteBuffer(bytes: responseBody))),
            ])
            await Self.drain(channel)
            return false
        }
    }

    /// The response headers: the handler's, minus any framing headers, plus the right Content-Length
    /// (and the gzip marker for the compressor).
    private static func headers(_ given: [(String, String)], contentLength: Int, gzip: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in given {
            let lower = name.lowercased()
            if lower == "content-length" || lower == "transfer-encoding" { continue }
            if gzip, lower == "content-encoding" { continue }
            headers.add(name: name, value: value)
        }
        headers.add(name: "content-length", value: String(contentLength))
        if gzip {
            headers.add(name: LoopbackHeader.gzipMarker, value: "1")
        }
        return headers
    }

    /// Waits (up to 5 s) until the channel has handed everything written so far to the kernel, so closing it
    /// right after does not drop the tail of a response.
    private static func drain(_ channel: any Channel) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while clock.now < deadline {
            guard let pending = try? await channel.getOption(.bufferedWritableBytes).get(), pending > 0 else { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// A `LoopbackResponse` with its wrappers folded: total delay, whether to gzip, and what to send.
private struct ResponsePlan {
    enum Outcome {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        case reset
        case truncated(status: Int, headers: [(String, String)], body: [UInt8], declaredLength: Int)
    }

    var delay: Duration = .zero
    var gzip = false
    var outcome: Outcome = .reset

    init(_ response: LoopbackResponse) {
        var current = response
        while true {
            switch current {
            case .delayed(let duration, let inner):
                delay += duration
                current = inner
            case .gzip(let inner):
                gzip = true
                current = inner
            case .respond(let status, let headers, let body):
                outcome = .respond(status: status, headers: headers, body: body)
                return
            case .reset:
                outcome = .reset
                return
            case .truncated(let status, let headers, let body, let declaredLength):
                outcome = .truncated(status: status, headers: headers, body: body, declaredLength: declaredLength)
                return
            }
        }
    }
}
