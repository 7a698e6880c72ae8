import Foundation

/// ClickHouse over its HTTP interface: SQL in the body, values bound as query parameters
/// (`{name:Type}` + `param_name=`), never pasted into SQL. Results as JSONEachRow.
public struct ClickHouseClient: Sendable {
    public let http: HTTPFetcher
    public let baseURL: String
    public let user: String
    let password: Secret

    public init(http: HTTPFetcher, baseURL: String, user: String, password: Secret) {
        self.http = http
        self.baseURL = baseURL
        self.user = user
        self.password = password
    }

    public init(http: HTTPFetcher, config: TrawlConfig) {
        self.init(http: http, baseURL: config.clickhouseURL, user: config.clickhouseUser, password: config.clickhousePassword)
    }

    /// A bound value: its ClickHouse text form goes in `param_NAME`.
    public enum Parameter: Sendable {
        case string(String)
        case strings([String])
        case int(Int64)

        var text: String {
            switch self {
            case .string(let s): s
            case .int(let i): String(i)
            case .strings(let list): "[" + list.map { "'" + Self.escape($0) + "'" }.joined(separator: ",") + "]"
            }
        }

        static func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        }
    }

    /// Runs `sql` (without a FORMAT clause) and decodes each JSONEachRow line as `T`.
    public func rows<T: Decodable>(_ sql: String, parameters: [String: Parameter] = [:], as type: T.Type) async throws -> [T] {
        var query = "default_format=JSONEachRow&output_format_json_quote_64bit_integers=0"
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            query += "&param_\(name)=\(URLComponent.encode(value.text))"
        }
        var headers: [(name: String, value: String)] = [("X-ClickHouse-User", user)]
        if !password.value.isEmpty { headers.append(("X-ClickHouse-Key", password.value)) }
        let response = try await http.fetch(FetchRequest(
            "\(baseURL)/?\(query)", method: .POST, upstream: .clickhouse, headers: headers, body: Array(sql.utf8), timeout: .seconds(120)))
        guard response.isSuccess else {
            throw ClickHouseError(status: response.status, message: String(response.bodyString.prefix(300)))
        }
        let decoder = JSONDecoder()
        var result: [T] = []
        for line in response.body.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            result.append(try decoder.decode(T.self, from: Data(line)))
        }
        return result
    }
}

public struct ClickHouseError: Error, CustomStringConvertible {
    public var status: Int
    public var message: String

    public var description: String { "ClickHouse answered HTTP \(status): \(message)" }
}
