/// The version reported in `trawl --version` and in the User-Agent every upstream sees.
public enum TrawlVersion {
    public static let current = "0.1.0"
    public static var userAgent: String { "trawl/\(current) (+package directory crawler)" }
}
