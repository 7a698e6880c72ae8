import Foundation

/// Seeded, deterministic generation (SplitMix64) for the fuzz tests, generated collections and the
/// benchmarks: the same seed gives the same cases on every machine, so a failure can be replayed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
    public mutating func chance(_ percent: Int) -> Bool { Int(next() % 100) < percent }
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Zipf-like: small indexes far more often, as words in real text (generated collections).
    public mutating func skewed(_ n: Int, _ power: Double = 2.2) -> Int { min(n - 1, Int(pow(unit(), power) * Double(n))) }
    /// A heavy-tailed figure (stars, downloads): most small, a few huge.
    public mutating func pareto(_ scale: Double, _ alpha: Double) -> Int { Int(scale / pow(max(unit(), 1e-9), 1 / alpha)) - Int(scale) }
}

/// Values that have crashed or could crash a parser: numbers at and past every boundary, texts
/// that open what they never close, encodings that are not what they claim.
public enum Hostile {
    public static let numbers = [
        "0", "-0", "1", "-1", "+1", "00001", "2147483647", "2147483648", "-2147483649",
        "4611686018427387904", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "99999999999999999999999999999",
        "1e3", "1E+30", "1e308", "1e309", "-1e309", "4.5", "-4.5", "4.5e18", "9.3e18", "0.0000001",
        "inf", "-inf", "Infinity", "nan", "NaN", "0x10", "0x1p62", "1_000", " 7 ", "٣", "1.", ".5", "--1", "1e", "e1",
    ]

    public static let texts = [
        "", " ", "*", ":", "::", ":asc", ":desc", "github_stars:", ":github_stars", "a:b:c", ",", ",,,", "&&", "||",
        "(", ")", "((((", "))))", "[", "]", "`", "``", "**", "__", "<", ">", "<!--", "-->", "<script>alert(1)</script>",
        "javascript:alert(1)", "\"", "'", "\\", "\\u0000", "\u{0}", "\u{202E}evil", "💥", "é", "\u{FFFD}", "%", "%%", "%zz",
        "%00", "%ff%fe", "%ED%A0%80", "../../etc/passwd", "name:=`", "name:[a,b", "github_stars:>", "github_stars:[1..]",
        "github_stars:[..]", "github_stars:[1..2..3]", "is_official:maybe", "unknown_field:1",
    ]

    /// A text `n` characters long made of `unit` repeated.
    public static func long(_ unit: String, _ n: Int) -> String {
        String(repeating: unit, count: max(1, n / max(unit.count, 1)))
    }

    /// One hostile scalar value: a number, a text, a long run, or a nested construct.
    public static func value(_ g: inout SeededGenerator) -> String {
        switch g.below(10) {
        case 0, 1, 2: return g.pick(numbers)
        case 3, 4, 5: return g.pick(texts)
        case 6: return long(g.pick(["(", "[", "`", "**", "<", "a", "é", ":", ",", "&&", "x||"]), g.pick([100, 5_000, 20_000, 70_000]))
        case 7: return g.pick(numbers) + g.pick(texts)
        case 8: return filterExpression(&g, depth: 0)
        default: return String(g.pick(numbers).reversed())
        }
    }

    static let filterFields = ["github_stars", "health_score", "upload_timestamp", "framework_versions", "is_official", "name", "id", "nope"]
    static let operators = [":", ":=", ":!=", ":>", ":<", ":>=", ":<=", ":", ":[", ":`"]

    /// A `filter_by` expression, sometimes well formed, sometimes deep, sometimes broken.
    public static func filterExpression(_ g: inout SeededGenerator, depth: Int) -> String {
        if depth > 0, g.chance(15) { return "(" + filterExpression(&g, depth: depth + 1) + ")" }
        if depth < 40, g.chance(20) {
            return filterExpression(&g, depth: depth + 1) + g.pick([" && ", " || ", "&&", "|"]) + filterExpression(&g, depth: depth + 1)
        }
        let op = g.pick(operators)
        var value = g.chance(70) ? g.pick(numbers) : g.pick(texts)
        if op == ":[" { value = (0..<g.below(6)).map { _ in g.pick(numbers) }.joined(separator: g.pick([",", "..", ", "])) + (g.chance(80) ? "]" : "") }
        if op == ":`" { value = value + (g.chance(70) ? "`" : "") }
        return g.pick(filterFields) + op + value
    }

    /// `body` with a few random damages: cut short, bytes flipped, a number swapped for a hostile
    /// one, a lone surrogate escape, or a deep nest inserted.
    public static func mutate(_ body: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var out = body
        for _ in 0..<(1 + g.below(3)) {
            let at = out.isEmpty ? 0 : g.below(out.count + 1)
            switch g.below(8) {
            case 0: out = Array(out.prefix(at))
            case 1: if !out.isEmpty { out[min(at, out.count - 1)] = UInt8(truncatingIfNeeded: g.next()) }
            case 2: out.insert(contentsOf: Array(g.pick(numbers).utf8), at: at)
            case 3: out.insert(contentsOf: Array(g.pick(["\\ud800", "\\udfff", "\\ud800\\u0041", "\\uZZZZ", "\\u12", "\\"]).utf8), at: at)
            case 4: out.insert(contentsOf: Array(long(g.pick(["[", "{\"a\":", "<a>", "<value><array><data>"]), g.pick([64, 2_000, 100_000])).utf8), at: at)
            case 5: out.insert(contentsOf: Array(g.pick(texts).utf8), at: at)
            case 6: out.insert(contentsOf: [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80], at: at)
            default:
                // Replace the first number after `at` with a hostile one.
                if let start = out[at...].firstIndex(where: { (48...57).contains($0) }) {
                    let end = out[start...].firstIndex(where: { !(48...57).contains($0) && $0 != UInt8(ascii: ".") }) ?? out.endIndex
                    out.replaceSubrange(start..<end, with: Array(g.pick(numbers).utf8))
                }
            }
        }
        return out
    }
}
