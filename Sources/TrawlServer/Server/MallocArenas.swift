#if canImport(Glibc)
import Glibc
#endif

#if os(Linux)
/// glibc's `mallopt` (not in the Glibc module map, like `malloc_trim`).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// How many malloc arenas a serving process may use. glibc gives every thread that meets a busy
/// arena a new one, up to eight per core; a server's event-loop, task-pool and database threads each
/// end up holding freed memory of their own, and resident memory creeps up under load. Two arenas
/// are enough for a 2-core server's allocation traffic (the same cap `MALLOC_ARENA_MAX=2` sets;
/// the environment variable, when given, still wins because glibc reads it first).
public enum MallocArenas {
    /// `M_ARENA_MAX` in glibc's malloc.h.
    static let arenaMax: Int32 = -8

    /// Caps the arenas at `count` (at least 1); does nothing off Linux or when `MALLOC_ARENA_MAX` is set.
    public static func limit(to count: Int = 2) {
        #if os(Linux)
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = mallopt(arenaMax, Int32(max(1, count)))
        #endif
    }
}
