import Foundation
public import TrawlCore

/// Turns one project's JSON into its search document and releases: one request per package,
/// never one per version (the seed spent ~0.7M requests that way).
public enum ProjectMetadata {
    public struct Parsed: Sendable {
        public var document: PackageDocument
        public var releases: [Release]
        public var serial: Int64
    }

    public enum ParseError: Error, CustomStringConvertible {
        case malformed(String)

        public var description: String {
            switch self {
            case .malformed(let why): why
            }
        }
    }

    /// Parses a JSON body. `frameworks` are the framework names whose version classifiers fill
    /// `framework_versions` (e.g. ["Django"]); empty means every `Framework :: X :: N` classifier.
    public static func parse(_ body: [UInt8], frameworks: [String] = []) throws -> Parsed {
        let json: ProjectJSON
        do {
            json = try JSONDecoder().decode(ProjectJSON.self, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw ParseError.malformed("JSON has no '\(key.stringValue)'")
        } catch {
            throw ParseError.malformed("not a project JSON document (\(body.count) bytes): \(Self.short(error))")
        }
        let info = json.info
        guard !info.name.isEmpty else { throw ParseError.malformed("JSON has an empty info.name") }

        var doc = PackageDocument(name: info.name)
        doc.version = info.version
        doc.summary = info.summary
        doc.description = info.description
        doc.descriptionContentType = info.descriptionContentType
        doc.author = info.author.isEmpty ? Self.nameFromEmail(info.authorEmail) : info.author
        doc.maintainer = info.maintainer.isEmpty ? Self.nameFromEmail(info.maintainerEmail) : info.maintainer
        doc.license = Self.license(info)
        doc.classifiers = info.classifiers
        doc.keywords = Self.keywords(info.keywords)
        doc.requiresDist = info.requiresDist
        doc.requiresPython = info.requiresPython
        doc.homePage = info.homePage
        doc.projectURLs = info.projectURLs
        doc.docsURL = info.docsURL.isEmpty ? Self.docsLink(info.projectURLs) : info.docsURL
        // The repository is known from metadata alone; the `github` enricher adds its activity.
        doc.githubURL = RepoRef.detect(projectURLs: info.projectURLs, homePage: info.homePage, downloadURL: info.downloadURL)?.url ?? ""
        doc.frameworkVersions = Self.frameworkVersions(info.classifiers, frameworks: frameworks)
        doc.pythonVersions = Self.pythonVersions(info.classifiers)
        if doc.pythonVersions.isEmpty { doc.pythonVersions = PythonVersions.allowed(by: info.requiresPython) }
        doc.vulnerabilities = json.vulnerabilities.compactMap { a in
            guard !a.id.isEmpty, !a.withdrawn else { return nil }
            let summary = a.summary.isEmpty ? String(a.details.split(whereSeparator: \.isNewline).first ?? "") : a.summary
            return Vulnerability(id: String(a.id.prefix(100)), aliases: a.aliases.prefix(20).map { String($0.prefix(100)) },
                                 summary: String(summary.prefix(300)), link: String(a.link.prefix(500)),
                                 fixedIn: a.fixedIn.prefix(20).map { String($0.prefix(100)) })
        }
        doc.lastSerial = json.lastSerial

        var releases: [Release] = json.releases.compactMap { version, files in
            guard !files.isEmpty else { return nil }  // a release with no files was never installable
            let times = files.compactMap { Self.timestamp($0.uploadTimeISO ?? $0.uploadTime) }
            return Release(
                version: version, uploadTimestamp: times.min() ?? 0,
                yanked: files.allSatisfy(\.yanked), requiresPython: files.compactMap(\.requiresPython).first ?? "")
        }
        if releases.isEmpty, !json.urls.isEmpty, !info.version.isEmpty {
            // Newer index responses may omit `releases`; `urls` still describes the current one.
            let times = json.urls.compactMap { Self.timestamp($0.uploadTimeISO ?? $0.uploadTime) }
            releases = [Release(version: info.version, uploadTimestamp: times.min() ?? 0, yanked: json.urls.allSatisfy(\.yanked),
                                requiresPython: info.requiresPython)]
        }
        releases.sort { ($0.uploadTimestamp, $0.version) > ($1.uploadTimestamp, $1.version) }
        doc.uploadTimestamp = releases.filter { !$0.yanked }.map(\.uploadTimestamp).max() ?? 0
        doc.yanked = info.yanked || (releases.first { $0.version == info.version }?.yanked ?? false)
        return Parsed(document: doc, releases: releases, serial: json.lastSerial)
    }

    /// Keywords are free text: comma-separated when there is a comma, else whitespace-separated.
    static func keywords(_ raw: String) -> [String] {
        let separators: (Character) -> Bool = raw.contains(",") ? { $0 == "," } : { $0.isWhitespace }
        var seen = Set<String>()
        return raw.split(whereSeparator: separators)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }

    /// `Framework :: Django :: 5.0` → `5.0` (only version-like last segments).
    static func frameworkVersions(_ classifiers: [String], frameworks: [String]) -> [String] {
        var out: [String] = []
        for c in classifiers {
            let parts = c.components(separatedBy: " :: ")
            guard parts.count == 3, parts[0] == "Framework", parts[2].first?.isNumber == true else { continue }
            if !frameworks.isEmpty && !frameworks.contains(parts[1]) { continue }
            if !out.contains(parts[2]) { out.append(parts[2]) }
        }
        return out
    }

    /// `Programming Language :: Python :: 3.12` → `3.12`.
    static func pythonVersions(_ classifiers: [String]) -> [String] {
        var out: [String] = []
        for c in classifiers {
            let parts = c.components(separatedBy: " :: ")
            guard parts.count == 3, parts[0] == "Programming Language", parts[1] == "Python",
                parts[2].first?.isNumber == true, parts[2].allSatisfy({ $0.isNumber || $0 == "." })
            else { continue }
            if !out.contains(parts[2]) { out.append(parts[2]) }
        }
        return out
    }

    static func license(_ info: ProjectJSON.Info) -> String {
        if !info.licenseExpression.isEmpty { return info.licenseExpression }
        // Some projects paste the whole license text; keep the first line.
        let first = info.license.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if !first.isEmpty { return String(first.prefix(200)) }
        return info.classifiers.first { $0.hasPrefix("License :: ") }?.components(separatedBy: " :: ").last ?? ""
    }

    static func docsLink(_ urls: [String: String]) -> String {
        for (label, url) in urls.sorted(by: { $0.key < $1.key }) {
            let l = label.lowercased()
            if l.contains("doc") || l.contains("readthedocs") { return url }
        }
        return ""
    }

    /// `"Jane Doe" <jane@example.com>` → `Jane Doe`.
    static func nameFromEmail(_ email: String) -> String {
        guard !email.isEmpty else { return "" }
        if let lt = email.firstIndex(of: "<") {
            return email[..<lt].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        }
        return ""
    }

    /// `2024-05-01T12:30:00.123456Z` (or without fraction/zone, taken as UTC) → epoch seconds.
    /// Hand-parsed: a crawl parses one per uploaded file, and date formatters are slow.
    static func timestamp(_ text: String?) -> Int64? {
        guard let text else { return nil }
        let b = Array(text.utf8)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func num(_ from: Int, _ to: Int) -> Int? {
            var v = 0
            for i in from..<to {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10), let hh = num(11, 13), let mm = num(14, 16),
            let ss = num(17, 19), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Int64(days * 86400 + hh * 3600 + mm * 60 + ss)
    }

    static func short(_ error: any Error) -> String {
        String(String(describing: error).prefix(200))
    }
}
