import Foundation

/// Recognises documentation sites by their URL: documentation hosts (Read the Docs, GitBook,
/// GitHub Pages), `docs.` hosts and `/docs` paths.
enum DocumentationLink {
    static func isDocumentation(_ url: String) -> Bool {
        let u = url.lowercased()
        guard !u.isEmpty, let parsed = URL(string: u), let host = parsed.host else { return false }
        let hosts = ["readthedocs.io", "readthedocs.org", "gitbook.io", "github.io"]
        if hosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
        if host.hasPrefix("docs.") || host.hasPrefix("doc.") { return true }
        let path = parsed.path
        return path == "/docs" || path.hasPrefix("/docs/") || path == "/doc" || path.hasPrefix("/doc/") || path.hasPrefix("/documentation")
    }
}
