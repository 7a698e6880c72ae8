import Foundation
public import Logging

/// Every repository of a `search/repositories` query, past GitHub's 1,000-result cap: a query with
/// more results than the cap is split into `created:` date ranges, halved until each range holds
/// fewer than the cap, and each range is paged through (100 per page).
public struct TopicSearch: Sendable {
    public struct Hit: Sendable, Hashable, Decodable {
        public var fullName: String
        public var name: String
        public var createdAt: String?

        enum CodingKeys: String, CodingKey {
            case fullName = "full_name"
            case name
            case createdAt = "created_at"
        }
    }

    struct Page: Decodable {
        var total_count: Int
        var items: [Hit]
    }

    let client: GitHubClient
    let query: String
    let cap: Int
    let logger: Logger
    /// Days since 1970 of the first range: GitHub opened in 2008.
    static let firstDay = 13_879  // 2008-01-01

    public init(client: GitHubClient, query: String, cap: Int = 1_000, logger: Logger) {
        self.client = client
        self.query = query
        self.cap = cap
        self.logger = logger
    }

    static func day(_ n: Int) -> String {
        Date(timeIntervalSince1970: TimeInterval(n) * 86_400).formatted(.iso8601.year().month().day())
    }

    func page(_ q: String, _ number: Int) async throws -> Page {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "+&=")
        let encoded = q.addingPercentEncoding(withAllowedCharacters: allowed) ?? q
        let response = try await client.get("/search/repositories?q=\(encoded)&per_page=100&page=\(number)")
        guard response.isSuccess else {
            throw GitHubError.status(path: "/search/repositories", status: response.status, message: String(response.bodyString.prefix(200)))
        }
        guard let page = try? JSONDecoder().decode(Page.self, from: Data(response.body)) else { throw GitHubError.badBody(path: "/search/repositories") }
        return page
    }

    /// All hits, each once. `onRequest` is told of each page fetched (for logs).
    public func all() async throws -> [Hit] {
        let today = Int(Date().timeIntervalSince1970 / 86_400) + 1
        var ranges = [(Self.firstDay, today)]
        var seen = Set<String>()
        var hits: [Hit] = []
        let first = try await page(query, 1)
        if first.total_count < cap {
            return try await collect(query, first: first, into: &hits, seen: &seen)
        }
        while let range = ranges.popLast() {
            let (from, to) = range
            let q = "\(query) created:\(Self.day(from))..\(Self.day(to))"
            let head = try await page(q, 1)
            if head.total_count >= cap && to > from {
                let mid = from + (to - from) / 2
                logger.debug("search range over the cap; splitting", metadata: ["range": "\(Self.day(from))..\(Self.day(to))", "total": "\(head.total_count)"])
                ranges.append((mid + 1, to))
                ranges.append((from, mid))
                continue
            }
            if head.total_count >= cap {
                logger.warning("one day holds more search results than GitHub returns; some may be missed", metadata: ["day": "\(Self.day(from))", "total": "\(head.total_count)"])
            }
            _ = try await collect(q, first: head, into: &hits, seen: &seen)
        }
        return hits
    }

    @discardableResult
    func collect(_ q: String, first: Page, into hits: inout [Hit], seen: inout Set<String>) async throws -> [Hit] {
        func add(_ items: [Hit]) { for h in items where seen.insert(h.fullName.lowercased()).inserted { hits.append(h) } }
        add(first.items)
        let pages = min((min(first.total_count, cap) + 99) / 100, cap / 100)
        if pages >= 2 {
            for n in 2...pages { add(try await page(q, n).items) }
        }
        return hits
    }
}
