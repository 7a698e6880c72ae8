import Foundation

/// One profile file to load: its display path, its text and its layer.
public struct ProfileFile: Sendable {
    public var path: String
    public var contents: String
    public var layer: ProfileLayer

    public init(path: String, contents: String, layer: ProfileLayer) {
        self.path = path
        self.contents = contents
        self.layer = layer
    }
}

/// The profiles in force after layering, plus which files replaced which (for `profiles list`).
public struct ProfileSet: Sendable {
    public var profiles: [Profile]
    /// Profiles a later layer replaced: (replaced origin, by origin).
    public var replaced: [(key: String, replaced: ProfileOrigin, by: ProfileOrigin)]

    public func profile(_ key: String) -> Profile? {
        profiles.first { $0.key == key }
    }

    public var keys: [String] { profiles.map(\.key) }
}

/// Loads and layers profiles: built-ins, then `./profiles/`, then the drop-in folder. A later layer
/// replaces an earlier profile of the same key; the same key twice *within* one layer is an error.
public struct ProfileLoader: Sendable {
    public let parser: ProfileParser

    public init(registry: PluginRegistry) {
        self.parser = ProfileParser(registry: registry)
    }

    /// Reads every `*.yaml`/`*.yml` file of `directory` (sorted by name). A missing folder is empty.
    public static func files(in directory: String, layer: ProfileLayer) throws -> [ProfileFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            throw ProfileLoadError(issues: [ProfileIssue(file: directory, line: nil, message: "is not a folder of profile files")])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        return try names.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            return try file(at: path, layer: layer)
        }
    }

    public static func file(at path: String, layer: ProfileLayer) throws -> ProfileFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileLoadError(issues: [ProfileIssue(file: path, line: nil, message: "cannot be read (missing or not permitted)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileLoadError(issues: [ProfileIssue(file: path, line: nil, message: "is not UTF-8 text")])
        }
        return ProfileFile(path: path, contents: text, layer: layer)
    }

    /// Parses and layers `files`. Throws every issue found; returns only a fully valid set.
    public func load(_ files: [ProfileFile]) throws(ProfileLoadError) -> ProfileSet {
        var issues: [ProfileIssue] = []
        var byKey: [String: Profile] = [:]
        var textByKey: [String: String] = [:]
        var order: [String] = []
        var replaced: [(String, ProfileOrigin, ProfileOrigin)] = []
        for file in files.sorted(by: { $0.layer < $1.layer }) {
            let (profile, fileIssues) = parser.parse(contents: file.contents, path: file.path, layer: file.layer)
            issues += fileIssues
            guard let profile else { continue }
            if let earlier = byKey[profile.key] {
                if earlier.origin.layer == profile.origin.layer {
                    issues.append(ProfileIssue(
                        file: file.path, line: keyLine(in: file.contents),
                        message: "duplicate profile key '\(profile.key)': also defined in \(earlier.origin.path); "
                            + "rename one (keys must be unique within \(file.layer) profiles)"))
                    continue
                }
                // The same text again (e.g. run from the repository, where ./profiles are the
                // built-ins) is not worth a note.
                if textByKey[profile.key] != file.contents {
                    replaced.append((profile.key, earlier.origin, profile.origin))
                }
            } else {
                order.append(profile.key)
            }
            byKey[profile.key] = profile
            textByKey[profile.key] = file.contents
        }
        guard issues.isEmpty else { throw ProfileLoadError(issues: issues) }
        let profiles = order.sorted().compactMap { byKey[$0] }
        return ProfileSet(profiles: profiles, replaced: replaced.map { (key: $0.0, replaced: $0.1, by: $0.2) })
    }

    private func keyLine(in contents: String) -> Int? {
        var line = 0
        for text in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            if text.hasPrefix("key:") { return line }
        }
        return nil
    }
}
