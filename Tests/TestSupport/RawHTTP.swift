import Foundation
import NIOCore
import NIOPosix

/// Sends bytes that no HTTP client would (a malformed request line, a header past every limit, a
/// body shorter than its length) to a loopback port and returns whatever comes back before the
/// server closes, or nothing when `timeout` passes first (send `Connection: close` to get an answer; the
/// default waits far longer than a loaded machine stalls, a test that expects silence sets a short one). For process-level tests of what a server survives.
public enum RawHTTP {
    public static func exchange(_ bytes: [UInt8], port: Int, timeout: Duration = TestTimeouts.request) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withThrowingTaskGroup(of: [UInt8].self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try? await outbound.write(ByteBuffer(bytes: bytes))
                    var received: [UInt8] = []
                    do {
                        for try await chunk in inbound {
                            received += chunk.readableBytesView
                            if received.count > 1 << 20 { break }
                        }
                    } catch {}
                    return received
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            try? await channel.channel.close()
            return first
        }
    }
}

extension RawHTTP {
    /// One HTTP/1.1 exchange over its own connection (`Connection: close`): the status and the
    /// decoded body (`Content-Length` or chunked). For fuzzing: unlike a pooled client, a server
    /// that answers before the whole body is sent (a 413, a 401) cannot confuse one exchange with
    /// the next, and no client-side state machine sits between the bytes and the assertion.
    public static func request(
        _ method: String, _ target: String, port: Int, headers: [(String, String)] = [], body: String? = nil,
        timeout: Duration = TestTimeouts.request
    ) async throws -> (status: Int, body: String) {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        head += "\r\n"
        let answer = try await exchange(Array((head + (body ?? "")).utf8), port: port, timeout: timeout)
        guard let split = answer.firstRange(of: Array("\r\n\r\n".utf8)) else { return (0, "") }
        let headText = String(decoding: answer[..<split.lowerBound], as: UTF8.self)
        let statusLine = headText.split(separator: "\r\n", omittingEmptySubsequences: false).first ?? ""
        let parts = statusLine.split(separator: " ")
        let status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var payload = Array(answer[split.upperBound...])
        if headText.lowercased().contains("transfer-encoding: chunked") { payload = dechunk(payload) }
        return (status, String(decoding: payload, as: UTF8.self))
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstRange(of: Array("\r\n".utf8)) else { break }
            let sizeText = String(decoding: bytes[index..<end.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = end.upperBound
            let stop = min(start + size, bytes.count)
            out += bytes[start..<stop]
            index = stop + 2
        }
        return out
    }
}
