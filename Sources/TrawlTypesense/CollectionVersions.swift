/// Names of the versioned collections behind an alias: `KEY-1`, `KEY-2`, … A recreate builds the
/// next one beside the live one, so the alias always points at something complete.
public enum CollectionVersions {
    /// N of `KEY-N`, or nil when `name` is not a version of `alias`.
    public static func version(of name: String, alias: String) -> Int? {
        let prefix = alias + "-"
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), let n = Int(rest), n > 0, String(n) == rest else { return nil }
        return n
    }

    /// `KEY-(N+1)` for the highest N among `existing` (so a leftover of a crashed run is never reused).
    public static func next(alias: String, existing: [String]) -> String {
        let highest = existing.compactMap { version(of: $0, alias: alias) }.max() ?? 0
        return "\(alias)-\(highest + 1)"
    }
}
