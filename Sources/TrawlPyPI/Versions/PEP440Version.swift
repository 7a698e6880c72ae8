import Foundation

/// A version as PEP 440 and Python's `packaging.version.Version` (packaging 24+/26) understand it.
///
/// Why not a generic semver type: PyPI orders releases by PEP 440, whose rules (dev before pre before
/// final before post, epochs, `1.0 == 1.0.0`, implicit post releases like `1.0-1`, local versions)
/// differ from semver and from plain string or numeric-tuple order. Parsing mirrors packaging's regex
/// (including its possessive quantifiers and Unicode whitespace stripping) and its normalisation, and
/// ordering mirrors its `_cmpkey`, so "latest version" here is the one pip would pick.
///
/// Numbers are `Int`: a version with a number that does not fit (PEP 440 allows any size, and a few
/// real PyPI versions have 20+ digit components) makes `init?` return `nil`. Such strings are still
/// valid PEP 440: ``isValid(_:)`` accepts them and ``sortableKey(_:)`` orders them exactly, because
/// both work on the digit strings and never convert to `Int`.
public struct PEP440Version: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The pre-release phase, in PEP 440 order (`a` < `b` < `rc`); spellings `alpha`, `beta`, `c`,
    /// `pre` and `preview` are normalised to these.
    public enum PreReleaseKind: String, Sendable, Hashable, Comparable, Codable, CaseIterable {
        case alpha = "a"
        case beta = "b"
        case releaseCandidate = "rc"

        var rank: Int {
            switch self {
            case .alpha: 0
            case .beta: 1
            case .releaseCandidate: 2
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    /// A pre-release segment such as `rc2` (a named pair rather than a tuple so it can be hashed and coded).
    public struct PreRelease: Sendable, Hashable, Codable, CustomStringConvertible {
        public var kind: PreReleaseKind
        public var number: Int

        public init(kind: PreReleaseKind, number: Int) {
            self.kind = kind
            self.number = number
        }

        public var description: String { "\(kind.rawValue)\(number)" }
    }

    /// One dot-separated part of a local version (`+ubuntu.2`). PEP 440 compares numeric parts as
    /// numbers and others as (lowercase ASCII) strings, and any number sorts above any string.
    public enum LocalSegment: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
        case text(String)
        case number(Int)

        public var description: String {
            switch self {
            case .text(let s): s
            case .number(let n): String(n)
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
            case (.number(let a), .number(let b)): a < b
            case (.text, .number): true
            case (.number, .text): false
            }
        }
    }

    /// The epoch (`2!` in `2!1.0`); 0 when absent.
    public let epoch: Int
    /// The release numbers as written (leading zeros dropped, trailing zeros kept): `[1, 2, 0]` for `1.02.0`.
    public let release: [Int]
    public let pre: PreRelease?
    public let post: Int?
    public let dev: Int?
    /// The local version's parts, lowercased, numbers without leading zeros; `nil` without `+local`.
    public let localSegments: [LocalSegment]?

    /// Parses `string` like `packaging.version.Version(string)`; `nil` when packaging would raise
    /// `InvalidVersion`, or when a number does not fit in `Int` (see the type's documentation).
    public init?(_ string: String) {
        guard let parts = PEP440Parts(string) else { return nil }
        func int(_ r: Range<Int>) -> Int? { parts.int(r) }
        guard let epoch = int(parts.epoch) else { return nil }
        var release: [Int] = []
        release.reserveCapacity(parts.release.count)
        for r in parts.release {
            guard let n = int(r) else { return nil }
            release.append(n)
        }
        var pre: PreRelease?
        if let kind = parts.preKind {
            guard let n = int(parts.preNumber) else { return nil }
            pre = PreRelease(kind: kind, number: n)
        }
        var post: Int?
        if parts.hasPost {
            guard let n = int(parts.postNumber) else { return nil }
            post = n
        }
        var dev: Int?
        if parts.hasDev {
            guard let n = int(parts.devNumber) else { return nil }
            dev = n
        }
        var local: [LocalSegment]?
        if let segments = parts.local {
            var out: [LocalSegment] = []
            out.reserveCapacity(segments.count)
            for segment in segments {
                if segment.isNumber {
                    guard let n = int(segment.range) else { return nil }
                    out.append(.number(n))
                } else {
                    out.append(.text(parts.string(segment.range)))
                }
            }
            local = out
        }
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.localSegments = local
    }

    /// Whether packaging accepts `string` as a version, whatever the size of its numbers.
    public static func isValid(_ string: String) -> Bool {
        PEP440Parts(string) != nil
    }

    // MARK: Derived values

    /// The normalised local version (`ubuntu.2`), as packaging's `Version.local`.
    public var local: String? {
        localSegments.map { $0.map(\.description).joined(separator: ".") }
    }

    /// True for dev releases and pre-releases (packaging's `is_prerelease`).
    public var isPrerelease: Bool { pre != nil || dev != nil }
    public var isPostrelease: Bool { post != nil }
    public var isDevrelease: Bool { dev != nil }

    /// The first release number (`3` in `3.2.1`).
    public var major: Int { release.first ?? 0 }
    /// The second release number, 0 when missing.
    public var minor: Int { release.count > 1 ? release[1] : 0 }
    /// The third release number, 0 when missing (the document's `version_bugfix`).
    public var micro: Int { release.count > 2 ? release[2] : 0 }

    /// The normalised form, identical to Python's `str(Version(s))`: `1.0rc1.post2.dev3+abc.4`.
    public var description: String {
        var s = epoch != 0 ? "\(epoch)!" : ""
        s += release.map(String.init).joined(separator: ".")
        if let pre { s += pre.description }
        if let post { s += ".post\(post)" }
        if let dev { s += ".dev\(dev)" }
        if let local { s += "+" + local }
        return s
    }

    /// The version without its local part (packaging's `public`).
    public var publicVersion: String {
        guard let plus = description.firstIndex(of: "+") else { return description }
        return String(description[..<plus])
    }

    /// Epoch and release only (packaging's `base_version`).
    public var baseVersion: String {
        (epoch != 0 ? "\(epoch)!" : "") + release.map(String.init).joined(separator: ".")
    }

    // MARK: Equality and order (packaging's `_cmpkey`)

    /// The release without trailing zeros: `1.0.0` and `1` are the same version.
    private var trimmedRelease: ArraySlice<Int> {
        var end = release.count
        while end > 0, release[end - 1] == 0 { end -= 1 }
        return release[..<end]
    }

    /// packaging's suffix `(pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n)`.
    private var suffix: (Int, Int, Int, Int, Int, Int) {
        let preRank: Int
        let preN: Int
        if let pre {
            (preRank, preN) = (pre.kind.rank, pre.number)
        } else if post == nil, dev != nil {
            (preRank, preN) = (-1, 0)  // dev-only releases sort before every pre-release
        } else {
            (preRank, preN) = (3, 0)
        }
        return (preRank, preN, post == nil ? 0 : 1, post ?? 0, dev == nil ? 1 : 0, dev ?? 0)
    }

    private static func compare(_ a: PEP440Version, _ b: PEP440Version) -> Int {
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        let ra = a.trimmedRelease, rb = b.trimmedRelease
        for (x, y) in zip(ra, rb) where x != y { return x < y ? -1 : 1 }
        if ra.count != rb.count { return ra.count < rb.count ? -1 : 1 }
        let sa = a.suffix, sb = b.suffix
        if sa != sb { return sa < sb ? -1 : 1 }
        switch (a.localSegments, b.localSegments) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let la?, let lb?):
            for (x, y) in zip(la, lb) where x != y { return x < y ? -1 : 1 }
            return la.count == lb.count ? 0 : (la.count < lb.count ? -1 : 1)
        }
    }

    public static func < (lhs: PEP440Version, rhs: PEP440Version) -> Bool { compare(lhs, rhs) < 0 }

    /// PEP 440 equality, so `1.0 == 1.0.0` and `1.0+A.01 == 1.0+a.1` although their `description`s differ.
    public static func == (lhs: PEP440Version, rhs: PEP440Version) -> Bool { compare(lhs, rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(Array(trimmedRelease))
        let s = suffix
        hasher.combine(s.0)
        hasher.combine(s.1)
        hasher.combine(s.2)
        hasher.combine(s.3)
        hasher.combine(s.4)
        hasher.combine(s.5)
        hasher.combine(localSegments)
    }

    // MARK: Codable as the normalised string

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let version = PEP440Version(string) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Not a PEP 440 version: \(string)")
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - Parsing

/// The pieces of a valid version as ranges into its lowercased ASCII bytes, numbers as digit runs
/// without leading zeros (an empty run is 0), so nothing here can overflow.
struct PEP440Parts {
    struct Local {
        var isNumber: Bool
        var range: Range<Int>
    }

    var bytes: [UInt8]
    var epoch: Range<Int> = 0..<0
    var release: [Range<Int>] = []
    var preKind: PEP440Version.PreReleaseKind?
    var preNumber: Range<Int> = 0..<0
    var hasPost = false
    var postNumber: Range<Int> = 0..<0
    var hasDev = false
    var devNumber: Range<Int> = 0..<0
    var local: [Local]?

    /// Matches packaging's `\s*` VERSION_PATTERN `\s*` (fullmatch, IGNORECASE). Every optional group
    /// of that pattern is possessive (`?+`), so a greedy scan that commits to each group once it
    /// matches, and skips it otherwise, accepts exactly the same strings with the same groups.
    init?(_ raw: String) {
        let scalars = raw.unicodeScalars
        var lo = scalars.startIndex
        var hi = scalars.endIndex
        while lo < hi, Self.isPythonWhitespace(scalars[lo]) { lo = scalars.index(after: lo) }
        while lo < hi {
            let before = scalars.index(before: hi)
            guard Self.isPythonWhitespace(scalars[before]) else { break }
            hi = before
        }
        var b: [UInt8] = []
        b.reserveCapacity(raw.utf8.count)
        for scalar in scalars[lo..<hi] {
            // The pattern is ASCII-only (`(?a:...)`; no Unicode character folds to `v`).
            guard scalar.isASCII else { return nil }
            var c = UInt8(scalar.value)
            if c >= 0x41, c <= 0x5A { c += 0x20 }
            b.append(c)
        }
        bytes = b
        let n = b.count
        var i = 0

        func isDigit(_ j: Int) -> Bool { j < n && b[j] >= 0x30 && b[j] <= 0x39 }
        func isSep(_ j: Int) -> Bool { j < n && (b[j] == 0x2E || b[j] == 0x2D || b[j] == 0x5F) }  // . - _
        func isAlnum(_ j: Int) -> Bool { isDigit(j) || (j < n && b[j] >= 0x61 && b[j] <= 0x7A) }
        func digits(from j: inout Int) -> Range<Int> {
            let start = j
            while isDigit(j) { j += 1 }
            return start..<j
        }
        func hasWord(_ word: StaticString, at j: Int) -> Bool {
            let count = word.utf8CodeUnitCount
            guard j + count <= n else { return false }
            return word.withUTF8Buffer { w in
                for k in 0..<count where b[j + k] != w[k] { return false }
                return true
            }
        }
        /// Leading zeros dropped; an all-zero run becomes empty.
        func number(_ r: Range<Int>) -> Range<Int> {
            var start = r.lowerBound
            while start < r.upperBound, b[start] == 0x30 { start += 1 }
            return start..<r.upperBound
        }

        // v?+
        if i < n, b[i] == 0x76 { i += 1 }
        // (?:(?P<epoch>[0-9]+)!)?+
        do {
            var j = i
            let d = digits(from: &j)
            if !d.isEmpty, j < n, b[j] == 0x21 {
                epoch = number(d)
                i = j + 1
            }
        }
        // (?P<release>[0-9]+(?:\.[0-9]+)*+)
        do {
            let first = digits(from: &i)
            guard !first.isEmpty else { return nil }
            release.append(number(first))
            while i < n, b[i] == 0x2E, isDigit(i + 1) {
                i += 1
                release.append(number(digits(from: &i)))
            }
        }
        // (?P<pre>[._-]?+(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[._-]?+(?P<pre_n>[0-9]+)?)?+
        do {
            var j = i
            if isSep(j) { j += 1 }
            if let (word, kind) = Self.preLetters.first(where: { hasWord($0.0, at: j) }) {
                j += word.utf8CodeUnitCount
                if isSep(j) { j += 1 }
                preKind = kind
                preNumber = number(digits(from: &j))
                i = j
            }
        }
        // (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[._-]?(?P<post_l>post|rev|r)[._-]?(?P<post_n2>[0-9]+)?))?+
        if i < n, b[i] == 0x2D, isDigit(i + 1) {
            i += 1
            hasPost = true
            postNumber = number(digits(from: &i))
        } else {
            // `[._-]?` may backtrack to match nothing, but then post_l would have to start at a
            // separator, which cannot match; so taking the separator greedily is exact.
            var j = i
            if isSep(j) { j += 1 }
            if let word = Self.postLetters.first(where: { hasWord($0, at: j) }) {
                j += word.utf8CodeUnitCount
                if isSep(j) { j += 1 }
                hasPost = true
                postNumber = number(digits(from: &j))
                i = j
            }
        }
        // (?P<dev>[._-]?+(?P<dev_l>dev)[._-]?+(?P<dev_n>[0-9]+)?)?+
        do {
            var j = i
            if isSep(j) { j += 1 }
            if hasWord("dev", at: j) {
                j += 3
                if isSep(j) { j += 1 }
                hasDev = true
                devNumber = number(digits(from: &j))
                i = j
            }
        }
        // (?:\+(?P<local>[a-z0-9]+(?:[._-][a-z0-9]+)*+))?+
        if i < n, b[i] == 0x2B, isAlnum(i + 1) {
            i += 1
            var segments: [Local] = []
            while true {
                let start = i
                var allDigits = true
                while isAlnum(i) {
                    if !isDigit(i) { allDigits = false }
                    i += 1
                }
                let r = start..<i
                segments.append(allDigits ? Local(isNumber: true, range: number(r)) : Local(isNumber: false, range: r))
                guard isSep(i), isAlnum(i + 1) else { break }
                i += 1
            }
            local = segments
        }
        guard i == n else { return nil }
    }

    /// `pre_l` and `post_l` in the pattern's order: the first that matches wins.
    private static let preLetters: [(StaticString, PEP440Version.PreReleaseKind)] = [
        ("alpha", .alpha), ("a", .alpha), ("beta", .beta), ("b", .beta),
        ("preview", .releaseCandidate), ("pre", .releaseCandidate),
        ("c", .releaseCandidate), ("rc", .releaseCandidate),
    ]
    private static let postLetters: [StaticString] = ["post", "rev", "r"]

    /// Python's `str.isspace()`, which is what `\s` matches in a `str` pattern.
    static func isPythonWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// The digit run as an `Int`, `nil` when it does not fit.
    func int(_ r: Range<Int>) -> Int? {
        var value = 0
        for k in r {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(bytes[k] - 0x30))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// The digit run as an `Int`, `Int.max` when it does not fit.
    func clampedInt(_ r: Range<Int>) -> Int { int(r) ?? Int.max }

    func string(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
}
