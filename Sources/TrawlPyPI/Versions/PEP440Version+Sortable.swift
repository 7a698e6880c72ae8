import Foundation

/// A string key whose plain byte order (memcmp: SQLite `BINARY`, PostgreSQL `COLLATE "C"`, Swift
/// `utf8` comparison) is PEP 440 order, so a store can sort and range-query versions without
/// understanding PEP 440.
///
/// Layout of the key of a valid version (all printable ASCII):
///
///     "1"  N(epoch)  N(r1) … N(rk) "."  PRE  POST  DEV  [ "+" LOCAL… ]
///
/// - `N(x)` writes a number as its digit count then its digits, without leading zeros, so byte
///   order is numeric order and no number is a prefix of another: `0` → `0`, `7` → `17`,
///   `10` → `210`. Counts above 9 are written as `:` then `N(count)` (`:` sorts above `9`), which
///   nests for any size, so numbers larger than `Int` need no special case.
/// - The release drops its trailing zeros (`1.0.0` == `1`) and ends with `.`, which sorts below
///   every `N` so `1` < `1.1`.
/// - `PRE`: `_` for a dev-only release (`1.0.dev1` sorts before `1.0a1`), `a`/`b`/`c` + `N(n)` for
///   alpha/beta/rc, `f` for none (final or post release).
/// - `POST`: `n` for none, `p` + `N(n)` for a post release.
/// - `DEV`: `d` + `N(n)` for a dev release, `r` for none (a dev release sorts before its release).
/// - `LOCAL`, only when present, so a version without one is a prefix of (and sorts before) the
///   same version with one: per segment `-` + text + `!` for a string (`!` sorts below `0-9a-z`,
///   ending it) and `.` + `N(n)` for a number (`.` > `-`: numbers above strings).
///
/// A string that is not PEP 440 (a legacy version such as `1.0-SNAPSHOT`) gets `"0"` + the raw
/// string: deterministic, and below every valid version. It is not necessarily printable.
extension PEP440Version {
    /// The sortable key of any version string; see the extension's documentation.
    public static func sortableKey(_ raw: String) -> String {
        guard let parts = PEP440Parts(raw) else { return "0" + raw }
        return parts.sortableKey
    }

    /// The sortable key of this version (equal versions share a key).
    public var sortableKey: String { Self.sortableKey(description) }

    /// The version fields of a search document, derived from one version string.
    public struct DocumentFields: Sendable, Hashable, Codable {
        /// Release numbers; 0 when missing or the string is not PEP 440, `Int.max` when too large.
        public var versionMajor: Int
        public var versionMinor: Int
        public var versionBugfix: Int
        /// ``PEP440Version/sortableKey(_:)`` of the string.
        public var versionSortable: String

        public init(versionMajor: Int, versionMinor: Int, versionBugfix: Int, versionSortable: String) {
            self.versionMajor = versionMajor
            self.versionMinor = versionMinor
            self.versionBugfix = versionBugfix
            self.versionSortable = versionSortable
        }
    }

    /// `version_major`, `version_minor`, `version_bugfix` and `version_sortable` of a document, parsing
    /// the string once. Works for legacy strings too (zeros and a legacy key).
    public static func documentFields(_ raw: String) -> DocumentFields {
        guard let parts = PEP440Parts(raw) else {
            return DocumentFields(versionMajor: 0, versionMinor: 0, versionBugfix: 0, versionSortable: "0" + raw)
        }
        func at(_ k: Int) -> Int { k < parts.release.count ? parts.clampedInt(parts.release[k]) : 0 }
        return DocumentFields(
            versionMajor: at(0), versionMinor: at(1), versionBugfix: at(2), versionSortable: parts.sortableKey)
    }

    /// The document's `version_major` of a version string (0 when it is not PEP 440).
    public static func versionMajor(_ raw: String) -> Int { documentFields(raw).versionMajor }
    /// The document's `version_minor` of a version string (0 when missing or not PEP 440).
    public static func versionMinor(_ raw: String) -> Int { documentFields(raw).versionMinor }
    /// The document's `version_bugfix` of a version string (0 when missing or not PEP 440).
    public static func versionBugfix(_ raw: String) -> Int { documentFields(raw).versionBugfix }
}

extension PEP440Parts {
    var sortableKey: String {
        var out: [UInt8] = [0x31]  // "1": above every legacy key ("0" + raw)
        out.reserveCapacity(bytes.count * 2 + 16)
        func put(_ c: Character) { out.append(c.asciiValue!) }
        func putCount(_ count: Int) {
            if count <= 9 {
                out.append(0x30 + UInt8(count))
            } else {
                let digits = Array(String(count).utf8)
                put(":")
                putCount(digits.count)
                out.append(contentsOf: digits)
            }
        }
        func putNumber(_ r: Range<Int>) {  // r has no leading zeros (empty for 0)
            putCount(r.count)
            out.append(contentsOf: bytes[r])
        }

        putNumber(epoch)
        var end = release.count
        while end > 0, release[end - 1].isEmpty { end -= 1 }
        for r in release[..<end] { putNumber(r) }
        put(".")

        if let preKind {
            switch preKind {
            case .alpha: put("a")
            case .beta: put("b")
            case .releaseCandidate: put("c")
            }
            putNumber(preNumber)
        } else if !hasPost, hasDev {
            put("_")
        } else {
            put("f")
        }
        if hasPost {
            put("p")
            putNumber(postNumber)
        } else {
            put("n")
        }
        if hasDev {
            put("d")
            putNumber(devNumber)
        } else {
            put("r")
        }
        if let local {
            put("+")
            for segment in local {
                if segment.isNumber {
                    put(".")
                    putNumber(segment.range)
                } else {
                    put("-")
                    out.append(contentsOf: bytes[segment.range])
                    put("!")
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
