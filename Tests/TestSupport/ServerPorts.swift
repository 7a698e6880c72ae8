import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports for servers that take a port number on their command line (Typesense, PostgreSQL, …).
///
/// Such a port must never come from the kernel's ephemeral range: every `LoopbackServer` and Python
/// fake binds port 0 and is handed a port from that range, so a port probed there and released can be
/// given to a parallel test's fake a moment later. Typesense listens with `SO_REUSEPORT`, so it would
/// even share the port and the kernel would spread one test's requests over the other's server.
/// Choosing below the ephemeral range avoids every such collision; the probe only skips ports that
/// another external server already holds.
public enum ServerPorts {
    /// The kernel hands out ports from here upwards (Linux's default: 32768–60999).
    static var ephemeralLow: Int {
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
           let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap({ Int($0) }) {
            return low
        }
        return 32768
    }

    /// A port below the ephemeral range that nothing is bound to right now.
    public static func free() throws -> Int {
        let high = min(ephemeralLow, 32768), low = max(10_000, high - 20_000)
        for _ in 0..<200 {
            let port = Int.random(in: low..<high)
            if isFree(port) { return port }
        }
        throw ServerPortsError(description: "no free port in \(low)..<\(high)")
    }

    /// True when a socket can bind 127.0.0.1:port (and so no server holds it).
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

public struct ServerPortsError: Error, CustomStringConvertible {
    public let description: String
}
