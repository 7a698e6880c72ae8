import Foundation
import Hummingbird

/// A request's query string as form data: `+` is a space, values are percent-decoded, a name may
/// repeat (`framework_version=5.0&framework_version=4.2`).
struct QueryItems: Sendable {
    var items: [(name: String, value: String)]

    init(_ query: String?) {
        items = (query ?? "").split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    init(request: Request) {
        self.init(request.uri.query)
    }

    init(pairs: [(String, String)]) {
        items = pairs.map { (name: $0.0, value: $0.1) }
    }

    subscript(_ name: String) -> String? {
        items.last(where: { $0.name == name })?.value
    }

    func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// A non-empty value, else nil.
    func nonEmpty(_ name: String) -> String? {
        guard let v = self[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }
}
