/// PEP 503 name normalization: the identity of a project on the index, whatever its spelling.
public enum PackageName {
    /// Lowercases and collapses every run of `-`, `_` and `.` into one `-`.
    public static func normalize(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        var pendingSeparator = false
        for ch in name.lowercased() {
            if ch == "-" || ch == "_" || ch == "." {
                pendingSeparator = true
            } else {
                if pendingSeparator && !out.isEmpty { out.append("-") }
                pendingSeparator = false
                out.append(ch)
            }
        }
        return out
    }
}
