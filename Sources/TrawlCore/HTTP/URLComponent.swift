import Foundation

/// Percent-encoding of one URL component (a query value or a path segment): only RFC 3986's
/// unreserved characters stay as they are, so a name or SQL parameter can never change the URL's shape.
public enum URLComponent {
    public static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
