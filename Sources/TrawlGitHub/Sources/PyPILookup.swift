import Foundation
import TrawlCore

/// The few PyPI JSON fields the GitHub sources need to map a repository to its package and judge
/// it, fetched through the shared HTTP layer (`{TRAWL_PYPI_URL}/pypi/{name}/json`). Kept here, not
/// borrowed from TrawlPyPI, so the GitHub module depends on TrawlCore only.
public struct PyPIProjectInfo: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var keywords: [String]
    public var requiresDist: [String]
}

struct PyPILookup: Sendable {
    let http: HTTPFetcher
    let baseURL: String

    struct Body: Decodable {
        struct Info: Decodable {
            var name: String
            var summary: String?
            var keywords: String?
            var requires_dist: [String]?
        }
        var info: Info
    }

    /// The project, nil on a 404 (or an unusable body); throws when the index cannot be reached.
    func project(_ name: String) async throws -> PyPIProjectInfo? {
        let escaped = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        let response = try await http.fetch(FetchRequest("\(baseURL)/pypi/\(escaped)/json", upstream: .pypi))
        guard response.isSuccess, let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) else {
            if response.status == 404 || response.isSuccess { return nil }
            throw GitHubError.status(path: "pypi/\(name)/json", status: response.status, message: "")
        }
        let keywords = (body.info.keywords ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0) }
        return PyPIProjectInfo(name: body.info.name, summary: body.info.summary ?? "", keywords: keywords, requiresDist: body.info.requires_dist ?? [])
    }

    /// Candidate package names for a repository: its name, then without a `python-`/`py-` prefix or
    /// a `-python`/`-py` suffix (normalized names are compared, so `_` and `.` need no variants).
    static func candidates(repoName: String) -> [String] {
        var names = [repoName]
        let lower = repoName.lowercased()
        for prefix in ["python-", "py-"] where lower.hasPrefix(prefix) { names.append(String(repoName.dropFirst(prefix.count))) }
        for suffix in ["-python", "-py"] where lower.hasSuffix(suffix) { names.append(String(repoName.dropLast(suffix.count))) }
        var seen = Set<String>()
        return names.filter { !$0.isEmpty && seen.insert(PackageName.normalize($0)).inserted }
    }
}
