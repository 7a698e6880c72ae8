import ArgumentParser
import TrawlCore

/// Which profiles a worker keeps fresh — one rule for `trawl worker` and `trawl serve --worker`:
/// the profiles named with `-p`; with none named, the profiles whose collection already exists in
/// the store (asked again before each scheduling pass). A profile nobody crawled or named is never
/// scheduled: its first full crawl is thousands of requests and GitHub budget nobody asked for.
struct WorkerScope {
    var profiles: [Profile]
    var scope: (@Sendable ([Profile]) async throws -> [Profile])?

    /// `named`: the `-p` keys; unknown keys are a usage error (exit 2) naming the known ones.
    /// `alsoExisting`: keep the profiles with a collection too (`serve --worker`, whose `-p` names
    /// the page's profile rather than narrowing the worker).
    static func resolve(named: [String], alsoExisting: Bool = false, set: ProfileSet, store: any Store) throws -> WorkerScope {
        let chosen = try named.map { key in
            guard let profile = set.profile(key) else {
                Console.error("unknown profile '\(key)'; known profiles: \(set.keys.joined(separator: ", "))")
                throw ExitCode(2)
            }
            return profile
        }
        guard chosen.isEmpty || alsoExisting else { return WorkerScope(profiles: chosen, scope: nil) }
        let keys = Set(chosen.map(\.key))
        return WorkerScope(profiles: set.profiles) { profiles in
            let existing = Set(try await existing(profiles, store: store).map(\.key))
            return profiles.filter { keys.contains($0.key) || existing.contains($0.key) }
        }
    }

    /// The profiles whose collection (their key, or what the alias of that name points at) exists.
    static func existing(_ profiles: [Profile], store: any Store) async throws -> [Profile] {
        let collections = Set(try await store.collections().map(\.name))
        var kept: [Profile] = []
        for profile in profiles {
            let collection = try await store.resolveCollection(profile.key) ?? profile.key
            if collections.contains(collection) { kept.append(profile) }
        }
        return kept
    }
}
