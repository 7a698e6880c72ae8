#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A child process started with `posix_spawn`, for the tests that run the built `trawl` hundreds of
/// times per suite.
///
/// Why not Foundation's `Process`: on Linux, `Process.run()` of the Foundation in Swift 6.3.1 scans
/// `/proc/self/fd` copying a fixed 256 bytes out of every `dirent`, reading past glibc's buffer, and
/// ends the whole test process with SIGSEGV about one full suite run in five
/// (swift-corelibs-foundation#5472, fixed upstream after 6.3.1). swift-subprocess avoids it too, but
/// its processes live inside a closure, and these tests keep a server or a worker running across
/// awaits, kill it mid-run and poll whether it is alive; this is the small part of spawning they use.
public final class ChildProcess: Sendable {
    public let processIdentifier: Int32
    /// The exit status once reaped (a signal's number when a signal ended it, as `Process` says).
    private let status = Mutex<Int32?>(nil)

    public enum SpawnError: Error, CustomStringConvertible {
        case failed(executable: String, errno: Int32)
        public var description: String {
            switch self {
            case .failed(let executable, let code): "posix_spawn \(executable): \(String(cString: strerror(code)))"
            }
        }
    }

    // glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `…_addclosefrom_np` (2.34) are declared
    // only under _GNU_SOURCE, which Swift's Glibc module is not built with: looked up by name instead.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
    private static let addCloseFrom: AddCloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    private init(pid: Int32) {
        processIdentifier = pid
    }

    /// Starts `executable ARGS` in `directory` with exactly `environment`; standard input is
    /// `/dev/null`, standard output and error go to the given files (created or truncated; the same
    /// path for both shares one) or to `/dev/null`. No other descriptor of this process reaches the child.
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String], directory: String,
        stdout: String? = nil, stderr: String? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr, stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)  // one file, one offset: interleaved, not overwritten
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        guard let addChdir = Self.addChdir else { throw SpawnError.failed(executable: executable, errno: ENOSYS) }
        _ = addChdir(&actions, directory)
        _ = Self.addCloseFrom?(&actions, 3)

        // Signals as a fresh process has them: this one ignores SIGPIPE (SwiftNIO) and may block
        // others, and both would be inherited across exec.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError.failed(executable: executable, errno: code) }
        return ChildProcess(pid: pid)
    }

    /// Whether it has not exited yet (an exited child is reaped here).
    public var isRunning: Bool { poll() == nil }

    /// The exit status, or -1 while it runs.
    public var terminationStatus: Int32 { poll() ?? -1 }

    /// SIGTERM.
    public func terminate() {
        kill(processIdentifier, SIGTERM)
    }

    /// Waits for the exit, without blocking a thread, and returns the status.
    public func exitStatus() async -> Int32 {
        while true {
            if let status = poll() { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func poll() -> Int32? {
        status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let reaped = waitpid(processIdentifier, &raw, WNOHANG)
            if reaped == processIdentifier {
                // WIFEXITED → WEXITSTATUS, else the signal's number (WTERMSIG).
                status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            } else if reaped == -1 {
                status = -1  // not our child any more: nothing to wait for
            }
            return status
        }
    }
}
