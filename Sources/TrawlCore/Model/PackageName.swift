/// PEP 503 name normalization: the identity of a project on the index, whatever its spelling.
public enum PackageName {
    /// Lowercases and collapses every run of `-`, `_` and `.` into one `-`.
    public static func normalize(_ name: String) -> String {
        // ASCII (every valid project name) works on bytes: this runs for every package several
        // times per batch, and the Character path below costs a lowercased copy plus grapheme walks.
        var ascii = true
        let normalized = String(unsafeUninitializedCapacity: name.utf8.count) { buffer in
            var count = 0
            var pendingSeparator = false
            for byte in name.utf8 {
                if byte >= 0x80 { ascii = false; return 0 }
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") {
                    pendingSeparator = true
                    continue
                }
                if pendingSeparator && count > 0 { buffer[count] = UInt8(ascii: "-"); count += 1 }
                pendingSeparator = false
                buffer[count] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                count += 1
            }
            return count
        }
        return ascii ? normalized : normalizeUnicode(name)
    }

    static func normalizeUnicode(_ name: String) -> String {
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
