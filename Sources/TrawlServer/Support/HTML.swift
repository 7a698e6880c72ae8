/// HTML escaping for any text that came from a package or a request: the one place that says
/// which characters are escaped and how (the page, snippets, feeds and the Markdown/reST renderers).
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars { escape(c, into: &out) }
        return out
    }

    static func escape(_ c: Unicode.Scalar, into out: inout String) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
}
