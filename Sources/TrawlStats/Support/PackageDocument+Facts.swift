import Foundation
public import TrawlCore

/// Small facts about a document that both the health score and the flags read, stated once so
/// the two can never disagree about what "has a license" means.
extension PackageDocument {
    /// A license in the metadata field (not a placeholder) or a `License ::` classifier.
    public var hasLicense: Bool {
        Self.isReal(license) || classifiers.contains { $0.hasPrefix("License ::") }
    }

    /// An author or maintainer name (not a placeholder).
    public var hasAuthor: Bool { Self.isReal(author) || Self.isReal(maintainer) }

    /// Whether GitHub data has been fetched for this package (a later enricher fills it): absent
    /// data must read as "unknown", never as "bad".
    public var hasGitHubData: Bool {
        !githubURL.isEmpty && (githubUpdated > 0 || githubStars > 0 || githubArchived)
    }

    static func isReal(_ value: String) -> Bool {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return !v.isEmpty && !["unknown", "none", "null", "n/a"].contains(v.lowercased())
    }
}

/// Time arithmetic in whole days, as the rules state their thresholds.
enum Days {
    static let seconds: Int64 = 86_400

    /// Whole days from `timestamp` to `now` (0 for the future).
    static func since(_ timestamp: Int64, now: Int64) -> Int64 {
        max(0, now - timestamp) / seconds
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
