import Foundation

/// Packages side by side — one table for the page, the API and `trawl compare`, so all three show
/// the same rows in the same order. Each row is one question a reader choosing between packages
/// asks; the health row carries its rule points so a lower score explains itself.
public struct CompareTable: Sendable, Equatable, Encodable {
    /// The most packages one comparison takes: more columns stop being readable.
    public static let maxPackages = 10

    public struct Row: Sendable, Equatable, Encodable {
        public var key: String
        public var label: String
        /// One cell per package, in `packages` order.
        public var values: [String]
    }

    /// Normalized names of the compared packages, in the order asked.
    public var packages: [String]
    /// Display names, in the same order.
    public var names: [String]
    public var rows: [Row]

    /// The names a comparison asks for: comma-separated and/or repeated, normalized, deduplicated in
    /// order, empty parts dropped.
    public static func requested(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for value in values {
            for part in value.split(separator: ",") {
                let name = PackageName.normalize(part.trimmingCharacters(in: .whitespaces))
                if !name.isEmpty, seen.insert(name).inserted { out.append(name) }
            }
        }
        return out
    }

    /// `graph`: the collection's dependency graph, for the "dependents in the ecosystem" row
    /// (left out when nil).
    public init(_ documents: [PackageDocument], graph: DependencyGraph? = nil) {
        packages = documents.map(\.normalizedName)
        names = documents.map(\.name)
        func row(_ key: String, _ label: String, _ cell: (PackageDocument) -> String) -> Row {
            Row(key: key, label: label, values: documents.map(cell))
        }
        rows = [
            row("version", "Latest version") { $0.version.isEmpty ? "–" : $0.version },
            row("released", "Released") { Self.date($0.uploadTimestamp) },
            row("framework_versions", "Framework versions") { $0.frameworkVersions.isEmpty ? "–" : $0.frameworkVersions.joined(separator: ", ") },
            row("python_versions", "Python versions") { $0.pythonVersions.isEmpty ? "–" : $0.pythonVersions.joined(separator: ", ") },
            row("license", "License") { $0.license.isEmpty ? "–" : String($0.license.prefix(80)) },
            row("github_stars", "GitHub stars") { $0.githubURL.isEmpty ? "–" : Self.count($0.githubStars) },
            row("github_updated", "Last push") { $0.githubURL.isEmpty ? "–" : Self.date($0.githubUpdated) },
            row("github_open_issues", "Open issues") { $0.githubURL.isEmpty ? "–" : Self.count($0.githubOpenIssues) },
            row("download_last_month", "Downloads last month") { Self.count($0.downloadLastMonth) },
            row("health_score", "Health score") { Self.health($0) },
            row("vulnerabilities", "Known vulnerabilities") { d in
                d.vulnerabilities.isEmpty ? "none" : "\(d.vulnerabilities.count): " + d.vulnerabilities.map(\.id).joined(separator: ", ")
            },
            row("status", "Archived / inactive") { Self.status($0) },
        ]
        if let graph {
            rows.insert(row("dependents", "Used by (this ecosystem)") { d in
                let edges = graph.dependents(of: d.normalizedName)
                let conditional = edges.filter { $0.condition != nil }.count
                return "\(edges.count)" + (conditional > 0 ? " (\(conditional) only with an extra or on some platforms)" : "")
            }, at: rows.count - 2)
        }
    }

    /// `1,234,567`: counts read at a glance across columns (digits grouped by three, locale-free).
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `72/100 — maintained 20/25, …`: the score and every rule's points, largest loss first.
    static func health(_ d: PackageDocument) -> String {
        let rules = d.healthScoreBreakdown.sorted { ($0.value.max - $0.value.points, $0.key) > ($1.value.max - $1.value.points, $1.key) }
        let parts = rules.map { "\($0.key) \($0.value.points)/\($0.value.max)" }
        return "\(d.healthScore)/100" + (parts.isEmpty ? "" : " — " + parts.joined(separator: ", "))
    }

    static func status(_ d: PackageDocument) -> String {
        var flags: [String] = []
        if d.githubArchived { flags.append("archived on GitHub") }
        if d.classifiers.contains(where: { $0.hasPrefix("Development Status :: 7") }) { flags.append("inactive (Development Status 7)") }
        if d.stale { flags.append("no longer listed in the ecosystem") }
        return flags.isEmpty ? "no" : flags.joined(separator: "; ")
    }

    static func date(_ epoch: Int64) -> String {
        guard epoch > 0, epoch < 253_402_300_800 else { return "–" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// What the API answers and `trawl compare --json` prints: the table of one collection and the
    /// names asked for that it does not hold.
    public struct Answer: Sendable, Encodable {
        public var collection: String
        public var packages: [String]
        public var names: [String]
        public var missing: [String]
        public var rows: [Row]

        public init(collection: String, table: CompareTable, missing: [String]) {
            self.collection = collection
            packages = table.packages
            names = table.names
            self.missing = missing
            rows = table.rows
        }
    }

    /// Plain text for a terminal: one line per row, columns padded.
    public var text: String {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        var widths = names.map(\.count)
        for row in rows { for (i, v) in row.values.enumerated() { widths[i] = min(max(widths[i], v.count), 48) } }
        func line(_ label: String, _ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, v in
                let cut = v.count > 48 ? String(v.prefix(47)) + "…" : v
                return cut.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            return (label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + padded.joined(separator: "  "))
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line("", names)] + rows.map { line($0.label, $0.values) }).joined(separator: "\n")
    }
}
