/// How index-wide sources find packages: one SQL query against the daily ClickHouse dump (fast),
/// or a walk of the whole simple index with one JSON fetch per project (slow, always works).
public enum DiscoveryStrategy: String, Sendable, CaseIterable {
    case clickhouse
    case scan
}
