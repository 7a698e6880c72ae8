import ArgumentParser
import Foundation
import Logging
import ProfileData
import TrawlCore
import TrawlStore

/// What a command needs, assembled from flags, environment and `.env`: configuration, the plugin
/// registry and the layered profiles.
struct CLIEnvironment {
    let config: TrawlConfig
    let registry: PluginRegistry
    let options: GlobalOptions
    let logger: Logger

    init(_ options: GlobalOptions) {
        LoggingSetup.bootstrap(options.logLevel)
        self.options = options
        self.config = TrawlConfig.load()
        self.registry = StandardRegistry.make()
        var logger = Logger(label: "trawl")
        logger.logLevel = options.logLevel
        self.logger = logger
    }

    var storeURL: String { options.store ?? config.storeURL }

    var dropInDirectory: String? { options.profilesDir ?? config.profilesDirectory }

    /// Built-ins, then ./profiles, then the drop-in folder.
    func profileFiles(includeBuiltins: Bool = true, includeFolders: Bool = true) throws -> [ProfileFile] {
        var files: [ProfileFile] = []
        if includeBuiltins {
            files += BuiltinProfiles.all.map { ProfileFile(path: "builtin:\($0.fileName)", contents: $0.contents, layer: .builtin) }
        }
        if includeFolders {
            files += try ProfileLoader.files(in: "profiles", layer: .workingDirectory)
            if let dir = dropInDirectory { files += try ProfileLoader.files(in: dir, layer: .dropIn) }
        }
        return files
    }

    /// Loads every profile; a bad one prints its issues and exits 2.
    func loadProfiles() throws -> ProfileSet {
        do {
            return try ProfileLoader(registry: registry).load(profileFiles())
        } catch let error as ProfileLoadError {
            Console.error(error.description)
            throw ExitCode(2)
        }
    }

    /// The profile `-p` names, else TRAWL_DEFAULT_PROFILE; exits 2 with the known keys otherwise.
    func profile(_ key: String?) throws -> Profile {
        let set = try loadProfiles()
        guard let key = key ?? config.defaultProfile else {
            Console.error("no profile given: use -p PROFILE or set TRAWL_DEFAULT_PROFILE (known: \(set.keys.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        guard let profile = set.profile(key) else {
            Console.error("unknown profile '\(key)'; known profiles: \(set.keys.joined(separator: ", "))")
            throw ExitCode(2)
        }
        return profile
    }

    func openStore() throws -> any Store {
        do {
            return try StoreLocator.open(storeURL)
        } catch {
            Console.error("cannot open store \(StoreLocator.redact(storeURL)): \(error)")
            throw ExitCode(1)
        }
    }
}
