/// Trove classifiers (`Framework :: Django :: 5.0`): the check profiles use and the prefix match
/// discovery uses, kept together so both agree on what a classifier is.
public enum Classifier {
    /// Nil when `text` is a well-formed classifier, else what is wrong with it.
    public static func problem(_ text: String) -> String? {
        let parts = text.components(separatedBy: " :: ")
        if parts.count < 2 || parts.contains(where: { $0.isEmpty || $0 != $0.trimmingCharacters(in: .whitespaces) }) || text.contains("  ") {
            return "'\(text)' is not a trove classifier; expected segments joined by ' :: ', e.g. 'Framework :: Django :: 5.0'"
        }
        return nil
    }

    /// True when `classifier` is `prefix` or lies below it (`Framework :: Plone` matches
    /// `Framework :: Plone :: 6.0` but not `Framework :: Plonex`).
    public static func matches(_ classifier: String, prefix: String) -> Bool {
        classifier == prefix || classifier.hasPrefix(prefix + " :: ")
    }
}
