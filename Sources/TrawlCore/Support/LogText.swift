/// Bounds what upstream-derived text becomes in a log line, an error or a recorded problem.
///
/// A ClickHouse downloads query carries a thousand package names in its URL, and an error that
/// quotes it made one 7 KB warning line. Every URL a person is shown goes through `url(_:)` (credentials
/// redacted, the query string elided, the rest capped); every list through `names(_:)`.
public enum LogText {
    /// The longest URL shown, before `…`.
    public static let maxURL = 160
    /// The longest free text shown (an upstream's error message), before `…`.
    public static let maxText = 500

    /// `url` as shown to people: credentials redacted, the query string and fragment replaced by
    /// `?…`, at most `maxURL` characters.
    public static func url(_ url: String) -> String {
        var shown = URLCredentials.redacted(url)
        if let query = shown.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            shown = String(shown[..<query]) + "?…"
        }
        return capped(shown, maxURL)
    }

    /// `text` cut to `limit` characters, with `…` where it was cut.
    public static func capped(_ text: String, _ limit: Int = maxText) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// A list as one short phrase: all of it when short, else the first `shown` and a count
    /// (`a, b, c and 171 more (174 names)`).
    public static func names(_ names: [String], shown: Int = 5) -> String {
        let items = names.map { capped($0, 100) }
        guard items.count > shown else { return items.joined(separator: ", ") }
        return items.prefix(shown).joined(separator: ", ") + " and \(items.count - shown) more (\(items.count) names)"
    }
}
