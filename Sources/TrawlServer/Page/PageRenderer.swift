import Foundation
import Mustache
import TrawlCore

/// Renders the web page's templates (embedded in the binary, so an installed `trawl` needs no
/// resource files). Mustache escapes every `{{value}}`; the README is the one `{{{triple}}}`
/// value and comes only from `SafeMarkdown`.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        try library.register(LayoutTemplate.text, named: "layout")
        try library.register(HomeTemplate.text, named: "home")
        try library.register(PackageTemplate.text, named: "package")
        try library.register(MessageTemplate.text, named: "message")
        try library.register(CompareTemplate.text, named: "compare")
        self.library = library
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    static func number(_ n: Int) -> String {
        if n >= 1_000_000 { return String(format: "%.1fM", Double(n) / 1_000_000) }
        if n >= 10_000 { return String(format: "%.0fk", Double(n) / 1_000) }
        if n >= 1_000 { return String(format: "%.1fk", Double(n) / 1_000) }
        return String(n)
    }

    static func date(_ seconds: Int64) -> String {
        guard seconds > 0 else { return "unknown" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
