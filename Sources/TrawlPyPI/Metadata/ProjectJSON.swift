import Foundation
import TrawlCore

/// The JSON API answer for one project (`{base}/pypi/{name}/json`), decoded leniently: real
/// projects have nulls, missing keys and odd types, and one odd field must not lose a package.
struct ProjectJSON: Decodable {
    struct Info: Decodable {
        var name: String
        var version: String
        var summary: String
        var description: String
        var descriptionContentType: String
        var author: String
        var authorEmail: String
        var maintainer: String
        var maintainerEmail: String
        var license: String
        var licenseExpression: String
        var classifiers: [String]
        var keywords: String
        var requiresDist: [String]
        var requiresPython: String
        var homePage: String
        var docsURL: String
        var downloadURL: String
        var projectURLs: [String: String]
        var yanked: Bool

        enum CodingKeys: String, CodingKey {
            case name, version, summary, description, author, maintainer, license, classifiers, keywords, yanked
            case descriptionContentType = "description_content_type"
            case authorEmail = "author_email"
            case maintainerEmail = "maintainer_email"
            case licenseExpression = "license_expression"
            case requiresDist = "requires_dist"
            case requiresPython = "requires_python"
            case homePage = "home_page"
            case docsURL = "docs_url"
            case downloadURL = "download_url"
            case projectURLs = "project_urls"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func s(_ key: CodingKeys) -> String { (try? c.decodeIfPresent(String.self, forKey: key)) ?? "" }
            name = try c.decode(String.self, forKey: .name)
            version = s(.version)
            summary = s(.summary)
            description = s(.description)
            descriptionContentType = s(.descriptionContentType)
            author = s(.author)
            authorEmail = s(.authorEmail)
            maintainer = s(.maintainer)
            maintainerEmail = s(.maintainerEmail)
            license = s(.license)
            licenseExpression = s(.licenseExpression)
            classifiers = ((try? c.decodeIfPresent([String].self, forKey: .classifiers))) ?? []
            // keywords is a string on the index, but some mirrors and old uploads give a list.
            if let list = (try? c.decodeIfPresent([String].self, forKey: .keywords)) {
                keywords = list.joined(separator: ",")
            } else {
                keywords = s(.keywords)
            }
            requiresDist = ((try? c.decodeIfPresent([String].self, forKey: .requiresDist))) ?? []
            requiresPython = s(.requiresPython)
            homePage = s(.homePage)
            docsURL = s(.docsURL)
            downloadURL = s(.downloadURL)
            projectURLs = ((try? c.decodeIfPresent([String: String?].self, forKey: .projectURLs)))?.compactMapValues { $0 } ?? [:]
            yanked = ((try? c.decodeIfPresent(Bool.self, forKey: .yanked))) ?? false
        }
    }

    struct File: Decodable {
        var uploadTimeISO: String?
        var uploadTime: String?
        var yanked: Bool
        var requiresPython: String?

        enum CodingKeys: String, CodingKey {
            case uploadTimeISO = "upload_time_iso_8601"
            case uploadTime = "upload_time"
            case yanked
            case requiresPython = "requires_python"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uploadTimeISO = (try? c.decodeIfPresent(String.self, forKey: .uploadTimeISO))
            uploadTime = (try? c.decodeIfPresent(String.self, forKey: .uploadTime))
            yanked = ((try? c.decodeIfPresent(Bool.self, forKey: .yanked))) ?? false
            requiresPython = (try? c.decodeIfPresent(String.self, forKey: .requiresPython))
        }
    }

    /// One entry of `vulnerabilities` (the current version's known advisories).
    struct Advisory: Decodable {
        var id: String
        var aliases: [String]
        var summary: String
        var details: String
        var link: String
        var fixedIn: [String]
        /// Set when the advisory was withdrawn: it no longer counts.
        var withdrawn: Bool

        enum CodingKeys: String, CodingKey {
            case id, aliases, summary, details, link, withdrawn
            case fixedIn = "fixed_in"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = (try? c.decodeIfPresent(String.self, forKey: .id)) ?? ""
            aliases = (try? c.decodeIfPresent([String].self, forKey: .aliases)) ?? []
            summary = (try? c.decodeIfPresent(String.self, forKey: .summary)) ?? ""
            details = (try? c.decodeIfPresent(String.self, forKey: .details)) ?? ""
            link = (try? c.decodeIfPresent(String.self, forKey: .link)) ?? ""
            fixedIn = (try? c.decodeIfPresent([String].self, forKey: .fixedIn)) ?? []
            withdrawn = ((try? c.decodeNil(forKey: .withdrawn)) ?? true) == false
        }
    }

    /// An array whose unreadable elements are skipped instead of failing the whole document.
    struct Lenient<T: Decodable>: Decodable {
        var values: [T]
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            var out: [T] = []
            while !c.isAtEnd {
                if let v = try? c.decode(T.self) { out.append(v) } else { _ = try? c.decode(Skip.self) }
            }
            values = out
        }
        struct Skip: Decodable { init(from decoder: any Decoder) throws {} }
    }

    var info: Info
    var lastSerial: Int64
    var releases: [String: [File]]
    var urls: [File]
    var vulnerabilities: [Advisory]

    enum CodingKeys: String, CodingKey {
        case info, releases, urls, vulnerabilities
        case lastSerial = "last_serial"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        info = try c.decode(Info.self, forKey: .info)
        // Past ±2^62 the serial is ignored (docs/limits.md), as the index scanner does: a serial of
        // Int64.max was kept as is, where a later `+ 1` or a comparison with a clamped one goes wrong.
        let serial = (try? c.decodeIfPresent(Int64.self, forKey: .lastSerial)) ?? nil
        lastSerial = serial.flatMap { $0.magnitude <= UInt64(BoundedNumber.magnitude) ? $0 : nil } ?? 0
        releases = ((try? c.decodeIfPresent([String: [File]].self, forKey: .releases))) ?? [:]
        urls = ((try? c.decodeIfPresent([File].self, forKey: .urls))) ?? []
        vulnerabilities = ((try? c.decodeIfPresent(Lenient<Advisory>.self, forKey: .vulnerabilities))?.values) ?? []
    }
}
