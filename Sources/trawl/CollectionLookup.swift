import ArgumentParser
import TrawlCore

/// The collection a read command looks at: the profile's key, through an alias if one exists.
func collectionFor(_ profileKey: String?, env: CLIEnvironment, store: any Store) async throws -> String {
    let key: String
    if let profileKey { key = profileKey } else { key = try env.profile(nil).key }
    return try await store.resolveCollection(key) ?? key
}
