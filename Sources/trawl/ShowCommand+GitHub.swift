import Foundation
import TrawlCore

extension ShowCommand {
    /// The repository line of `trawl show`: where the source is and how alive it looks.
    static func githubLines(_ doc: PackageDocument) -> [String] {
        guard !doc.githubURL.isEmpty else { return [] }
        var facts: [String] = []
        if doc.githubUpdated > 0 || doc.githubStars > 0 {
            facts = ["\(doc.githubStars) stars", "\(doc.githubWatchers) watchers", "\(doc.githubForks) forks", "\(doc.githubOpenIssues) open issues"]
            if doc.githubUpdated > 0 {
                facts.append("pushed " + String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(doc.githubUpdated))).prefix(10)))
            }
            if doc.githubArchived { facts.append("archived") }
        }
        var lines = ["  github:     \(doc.githubURL)" + (facts.isEmpty ? "" : "  (\(facts.joined(separator: ", ")))")]
        if !doc.topics.isEmpty { lines.append("  topics:     \(doc.topics.joined(separator: ", "))") }
        return lines
    }
}
