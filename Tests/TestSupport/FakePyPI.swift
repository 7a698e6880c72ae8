public import Foundation
import Synchronization

/// A loopback fake of the package index with the real formats: PEP 691 JSON simple index, project
/// JSON with ETag/304/404, RSS feeds capped at 100 items, XML-RPC changelog, and injectable faults.
/// `serveMirror` turns it into a mirror: a PEP 503 HTML-only simple index (root listing and project
/// pages), at another path (devpi's `…/+simple/`), with or without the JSON API.
public final class FakePyPI: Sendable {
    public struct Project: Sendable {
        public var name: String
        public var versions: [String]
        public var classifiers: [String]
        public var requiresDist: [String]
        public var summary: String
        public var keywords: String
        public var serial: Int64
        /// Raw body to serve instead of the generated JSON (malformed-data tests).
        public var rawBody: String?
        /// The long description to serve; nil gives a one-line Markdown stub.
        public var description: String?
        /// `project_urls` to serve; nil gives `Source: https://github.com/example/{name}`.
        public var projectURLs: [String: String]?

        public init(name: String, versions: [String] = ["1.0"], classifiers: [String] = [], requiresDist: [String] = [],
                    summary: String = "", keywords: String = "") {
            self.name = name
            self.versions = versions
            self.classifiers = classifiers
            self.requiresDist = requiresDist
            self.summary = summary.isEmpty ? "The \(name) package" : summary
            self.keywords = keywords
            self.serial = 0
        }
    }

    /// How the simple index answers (see `serveMirror`).
    public enum SimpleFormat: Sendable {
        /// PEP 691 JSON whatever the client accepts (the default).
        case json
        /// PEP 503 HTML only, `text/html`, whatever the client accepts.
        case html
        /// This body with this Content-Type (garbage, empty lists, hostile markup).
        case raw(String, contentType: String)
    }

    public enum Fault: Sendable {
        /// Every project JSON answers 503 (a storm).
        case projectJSON503
        /// Every request sleeps this long first.
        case latency(Duration)
        /// The first project-JSON request for `percent` % of the projects (chosen by a hash of the
        /// name, so the same ones every run) answers 429 with this `Retry-After`; later requests for
        /// them are served. An index that sheds load like this is what pending packages are for.
        case firstRequest429(percent: Int, retryAfter: String)
        /// `percent` % of all requests (every request counted, spread evenly) fail: alternately 503,
        /// and 429 asking to wait a second. A soak's steady background of upstream faults.
        case flaky(percent: Int)
    }

    struct Event { var name: String; var version: String?; var action: String; var serial: Int64; var time: Int64 }

    struct State {
        var projects: [String: Project] = [:]
        var serial: Int64 = 1000
        var events: [Event] = []
        var faults: [Fault] = []
        var jsonServed = 0
        var notModifiedServed = 0
        var refusedOnce: Set<String> = []
        var refused = 0
        var requests: UInt64 = 0
        var flakyServed = 0
        var simpleFormat: SimpleFormat = .json
        var simpleRoot = "/simple/"
        var jsonAPI = true
    }

    private let state = Mutex(State())
    private let serverBox = Mutex<LoopbackServer?>(nil)
    public var server: LoopbackServer { serverBox.withLock { $0! } }

    public static func start(_ projects: [Project] = []) async throws -> FakePyPI {
        let fake = FakePyPI()
        for p in projects { fake.add(p, logEvent: false) }
        let server = try await LoopbackServer.start { [weak fake] request in
            guard let fake else { return .status(503) }
            return await fake.handle(request)
        }
        fake.serverBox.withLock { $0 = server }
        return fake
    }

    public var baseURL: String { server.baseURL }
    public func shutdown() async throws { try await server.shutdown() }

    public static func normalize(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
    }

    // MARK: Mutations (each logs a changelog event with a new serial, as the index does)

    public func add(_ project: Project, logEvent: Bool = true) {
        state.withLock { s in
            s.serial += 1
            var p = project
            p.serial = s.serial
            s.projects[Self.normalize(p.name)] = p
            if logEvent {
                s.events.append(Event(name: p.name, version: nil, action: "create", serial: s.serial, time: 1_700_000_000 + s.serial))
                s.serial += 1
                s.events.append(Event(name: p.name, version: p.versions.last, action: "new release", serial: s.serial, time: 1_700_000_000 + s.serial))
                s.projects[Self.normalize(p.name)]?.serial = s.serial
            }
        }
    }

    public func release(_ name: String, version: String) {
        state.withLock { s in
            let key = Self.normalize(name)
            guard s.projects[key] != nil else { return }
            s.serial += 1
            s.projects[key]!.versions.append(version)
            s.projects[key]!.serial = s.serial
            s.events.append(Event(name: s.projects[key]!.name, version: version, action: "new release", serial: s.serial, time: 1_700_000_000 + s.serial))
        }
    }

    public func remove(_ name: String) {
        state.withLock { s in
            s.serial += 1
            s.projects[Self.normalize(name)] = nil
            s.events.append(Event(name: name, version: nil, action: "remove project", serial: s.serial, time: 1_700_000_000 + s.serial))
        }
    }

    public func setRawBody(_ name: String, _ body: String) {
        state.withLock { s in s.projects[Self.normalize(name)]?.rawBody = body }
    }

    public func setFaults(_ faults: [Fault]) { state.withLock { $0.faults = faults } }

    /// Serves the simple index as `format` at `root` (e.g. "/root/pypi/+simple/"), and the project
    /// JSON only when `jsonAPI` (a mirror without it answers 404 there).
    public func serveMirror(_ format: SimpleFormat, root: String = "/simple/", jsonAPI: Bool = true) {
        state.withLock { s in
            s.simpleFormat = format
            s.simpleRoot = root
            s.jsonAPI = jsonAPI
        }
    }

    /// Project JSON bodies served with 200 (full downloads) and 304s, since the last reset.
    public var jsonServed: Int { state.withLock { $0.jsonServed } }
    /// Requests failed on purpose by `Fault.flaky`.
    public var flakyServed: Int { state.withLock { $0.flakyServed } }
    /// Project-JSON requests answered 429 by `Fault.firstRequest429`.
    public var refused: Int { state.withLock { $0.refused } }

    /// FNV-1a over the UTF-8 bytes: the same choice in every process (Swift's `hashValue` is seeded).
    public static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
    public var notModifiedServed: Int { state.withLock { $0.notModifiedServed } }
    public func resetCounters() { state.withLock { $0.jsonServed = 0; $0.notModifiedServed = 0 } }

    // MARK: Serving

    func handle(_ request: LoopbackRequest) async -> LoopbackResponse {
        let (faults, number) = state.withLock { s in
            s.requests += 1
            return (s.faults, s.requests)
        }
        for case .latency(let d) in faults { try? await Task.sleep(for: d) }
        for case .flaky(let percent) in faults where (number &* 2_654_435_761) % 100 < UInt64(max(0, percent)) {
            state.withLock { $0.flakyServed += 1 }
            return number % 2 == 0
                ? .text("Service Unavailable", status: 503)
                : .text("Too Many Requests", status: 429, headers: [("Retry-After", "1")])
        }
        let path = request.path
        let (root, jsonAPI) = state.withLock { ($0.simpleRoot, $0.jsonAPI) }
        if path == root || path == String(root.dropLast()) { return simpleIndex() }
        if path.hasPrefix(root), path.hasSuffix("/") { return simpleProject(String(path.dropFirst(root.count).dropLast())) }
        if path.hasPrefix("/pypi/") && path.hasSuffix("/json") && !jsonAPI { return .json(#"{"message": "Not Found"}"#, status: 404) }
        if path.hasPrefix("/pypi/") && path.hasSuffix("/json") {
            if faults.contains(where: { if case .projectJSON503 = $0 { return true }; return false }) {
                return .text("Service Unavailable", status: 503)
            }
            let name = String(path.dropFirst(6).dropLast(5))
            for case .firstRequest429(let percent, let retryAfter) in faults where Self.stableHash(Self.normalize(name)) % 100 < UInt64(percent) {
                let first = state.withLock { s in
                    let first = s.refusedOnce.insert(Self.normalize(name)).inserted
                    if first { s.refused += 1 }
                    return first
                }
                if first { return .text("Too Many Requests", status: 429, headers: [("Retry-After", retryAfter)]) }
            }
            return projectJSON(name, ifNoneMatch: request.header("If-None-Match"))
        }
        if path == "/rss/updates.xml" { return rss(newProjects: false) }
        if path == "/rss/packages.xml" { return rss(newProjects: true) }
        if path == "/pypi" && request.method == "POST" { return xmlrpc(request.bodyString) }
        return .text("Not Found", status: 404)
    }

    func simpleIndex() -> LoopbackResponse {
        let (projects, serial, format) = state.withLock { s in (s.projects.values.sorted { $0.name < $1.name }, s.serial, s.simpleFormat) }
        switch format {
        case .json: break
        case .raw(let body, let contentType): return .text(body, contentType: contentType)
        case .html:
            var html = "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\"><title>Simple index</title></head><body>\n"
            for p in projects { html += "<a href=\"/simple/\(Self.normalize(p.name))/\">\(Self.escape(p.name))</a><br/>\n" }
            html += "</body></html>\n"
            return .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("X-PyPI-Last-Serial", "\(serial)")], body: Array(html.utf8))
        }
        let list = projects.map { ["name": Self.normalize($0.name), "_last-serial": $0.serial] as [String: Any] }
        let object: [String: Any] = ["meta": ["api-version": "1.1", "_last-serial": serial], "projects": list]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return .respond(status: 200, headers: [("Content-Type", "application/vnd.pypi.simple.v1+json"), ("X-PyPI-Last-Serial", "\(serial)")], body: Array(data))
    }

    /// A project page: one file per version, in the format of the root listing.
    func simpleProject(_ name: String) -> LoopbackResponse {
        let (project, format) = state.withLock { s in (s.projects[Self.normalize(name)], s.simpleFormat) }
        guard let p = project else { return .text("Not Found", status: 404) }
        let files = p.versions.map { v in (filename: "\(Self.normalize(p.name).replacingOccurrences(of: "-", with: "_"))-\(v).tar.gz", url: "../../packages/\(p.name)-\(v).tar.gz") }
        if case .json = format {
            let object: [String: Any] = [
                "meta": ["api-version": "1.1"], "name": Self.normalize(p.name),
                "files": files.map { ["filename": $0.filename, "url": $0.url, "hashes": [:] as [String: String], "requires-python": ">=3.9", "yanked": false] as [String: Any] },
            ]
            return .respond(status: 200, headers: [("Content-Type", "application/vnd.pypi.simple.v1+json")], body: Array(try! JSONSerialization.data(withJSONObject: object)))
        }
        var html = "<!DOCTYPE html>\n<html><body><h1>Links for \(Self.escape(p.name))</h1>\n"
        for f in files { html += "<a href=\"\(f.url)#sha256=00\" data-requires-python=\"&gt;=3.9\">\(f.filename)</a><br/>\n" }
        html += "</body></html>\n"
        return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array(html.utf8))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func projectJSON(_ name: String, ifNoneMatch: String?) -> LoopbackResponse {
        guard let p = state.withLock({ $0.projects[Self.normalize(name)] }) else {
            return .json(#"{"message": "Not Found"}"#, status: 404)
        }
        let etag = "\"\(p.serial)\""
        if ifNoneMatch == etag {
            state.withLock { $0.notModifiedServed += 1 }
            return .status(304, headers: [("ETag", etag)])
        }
        state.withLock { $0.jsonServed += 1 }
        if let raw = p.rawBody { return .json(raw, headers: [("ETag", etag)]) }
        var releases: [String: Any] = [:]
        for (i, v) in p.versions.enumerated() {
            let day = 1 + i % 28
            releases[v] = [[
                "upload_time_iso_8601": String(format: "2024-03-%02dT10:00:00.123456Z", day),
                "upload_time": String(format: "2024-03-%02dT10:00:00", day),
                "yanked": false, "requires_python": ">=3.9", "filename": "\(p.name)-\(v).tar.gz",
            ]]
        }
        let info: [String: Any] = [
            "name": p.name, "version": p.versions.last ?? "", "summary": p.summary, "description": p.description ?? "# \(p.name)\n\nLong description.",
            "description_content_type": "text/markdown", "author": "Jane Doe", "author_email": "jane@example.invalid",
            "maintainer": NSNull(), "license": "MIT", "classifiers": p.classifiers, "keywords": p.keywords,
            "requires_dist": p.requiresDist.isEmpty ? NSNull() : p.requiresDist, "requires_python": ">=3.9",
            "home_page": "https://example.invalid/\(p.name)", "docs_url": NSNull(),
            "project_urls": p.projectURLs ?? ["Source": "https://github.com/example/\(p.name)"], "yanked": false,
        ]
        let object: [String: Any] = ["info": info, "last_serial": p.serial, "releases": releases, "urls": [], "vulnerabilities": []]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return .respond(status: 200, headers: [("Content-Type", "application/json"), ("ETag", etag), ("X-PyPI-Last-Serial", "\(p.serial)")], body: Array(data))
    }

    func rss(newProjects: Bool) -> LoopbackResponse {
        let events = state.withLock { s in s.events.filter { newProjects ? $0.action == "create" : $0.action == "new release" } }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Index</title>"
        for e in events.suffix(100).reversed() {  // the real feeds hold the last 100 items, newest first
            let title = newProjects ? "\(e.name) added to PyPI" : "\(e.name) \(e.version ?? "")"
            let link = newProjects ? "https://index.invalid/project/\(e.name)/" : "https://index.invalid/project/\(e.name)/\(e.version ?? "")/"
            xml += "<item><title>\(title)</title><link>\(link)</link><pubDate>Tue, 14 Nov 2023 22:13:20 GMT</pubDate></item>"
        }
        xml += "</channel></rss>"
        return .text(xml, contentType: "text/xml")
    }

    func xmlrpc(_ body: String) -> LoopbackResponse {
        func respond(_ value: String) -> LoopbackResponse {
            .text("<?xml version='1.0'?><methodResponse><params><param><value>\(value)</value></param></params></methodResponse>", contentType: "text/xml")
        }
        if body.contains("<methodName>changelog_last_serial</methodName>") {
            return respond("<int>\(state.withLock { $0.serial })</int>")
        }
        if body.contains("<methodName>changelog_since_serial</methodName>"),
            let range = body.range(of: #"<int>(\d+)</int>"#, options: .regularExpression) {
            let since = Int64(body[range].dropFirst(5).dropLast(6)) ?? 0
            // Like the index, answer at most a page of events per call.
            let events = state.withLock { s in Array(s.events.filter { $0.serial > since }.prefix(50)) }
            let rows = events.map { e in
                "<value><array><data><value><string>\(e.name)</string></value>"
                    + (e.version.map { "<value><string>\($0)</string></value>" } ?? "<value><nil/></value>")
                    + "<value><int>\(e.time)</int></value><value><string>\(e.action)</string></value><value><int>\(e.serial)</int></value></data></array></value>"
            }
            return respond("<array><data>\(rows.joined())</data></array>")
        }
        return .text("<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultString</name><value><string>unknown method</string></value></member></struct></value></fault></methodResponse>", contentType: "text/xml")
    }
}
