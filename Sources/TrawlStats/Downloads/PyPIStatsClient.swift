import Foundation
public import TrawlCore

/// pypistats' `/api/packages/{name}/recent`: last day, week and month for one package per request.
/// The fallback when ClickHouse is unreachable; its limits (1 in flight, ≤ 5/s, 30/min, 429 with
/// Retry-After) are enforced by the shared `HTTPFetcher` for upstream `.pypistats`.
public struct PyPIStatsClient: Sendable {
    public let http: HTTPFetcher
    public let baseURL: String

    public init(http: HTTPFetcher, baseURL: String) {
        self.http = http
        self.baseURL = baseURL
    }

    struct Recent: Decodable {
        struct Data: Decodable {
            var lastDay: Int?
            var lastWeek: Int?
            var lastMonth: Int?

            enum CodingKeys: String, CodingKey {
                case lastDay = "last_day"
                case lastWeek = "last_week"
                case lastMonth = "last_month"
            }
        }
        var data: Data
    }

    /// The answer was neither figures nor "unknown package".
    public struct BadAnswer: Error, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { "pypistats answered HTTP \(status): \(message)" }
    }

    /// Recent downloads of `name`; zeros when pypistats does not know the package (404). Throws
    /// `HTTPFetchError` when the service is unreachable or rate limits beyond the retry policy.
    public func recent(_ name: String) async throws -> DownloadCounts {
        let segment = URLComponent.encode(PackageName.normalize(name))
        let response = try await http.fetch(FetchRequest("\(baseURL)/api/packages/\(segment)/recent", upstream: .pypistats,
                                                         headers: [("Accept", "application/json")]))
        if response.status == 404 { return DownloadCounts(lastDay: 0, lastWeek: 0, lastMonth: 0, total: nil) }
        guard response.isSuccess else {
            throw BadAnswer(status: response.status, message: String(response.bodyString.prefix(200)))
        }
        let recent: Recent
        do {
            recent = try JSONDecoder().decode(Recent.self, from: Foundation.Data(response.body))
        } catch {
            throw BadAnswer(status: response.status, message: "not the recent-downloads JSON: \(String(response.bodyString.prefix(120)))")
        }
        return DownloadCounts(
            lastDay: BoundedNumber.count(recent.data.lastDay ?? 0), lastWeek: BoundedNumber.count(recent.data.lastWeek ?? 0),
            lastMonth: BoundedNumber.count(recent.data.lastMonth ?? 0), total: nil)
    }
}
