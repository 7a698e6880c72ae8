public import Foundation

/// Credentials written into a base URL (`https://user:token@mirror.example/simple`), as private
/// mirrors are commonly configured. They are taken out of the URL as soon as it is read: the URL
/// that flows through clients, logs, errors, problems and the validator cache never carries them,
/// and the fetcher sends them as `Authorization: Basic` to that origin only (never to another host,
/// not even after a redirect).
public enum URLCredentials {
    /// `url` without its user and password, and the Basic authorization they stand for (nil when
    /// the URL has none).
    public static func split(_ url: String) -> (url: String, origin: String?, authorization: Secret?) {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else {
            return (url, nil, nil)
        }
        let user = components.user ?? "", password = components.password ?? ""
        components.user = nil
        components.password = nil
        let clean = components.string ?? redacted(url)
        let token = Data("\(user):\(password)".utf8).base64EncodedString()
        return (clean, origin(of: clean), Secret("Basic \(token)"))
    }

    /// `scheme://host:port` of a URL, the unit credentials and sensitive headers are bound to.
    public static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }

    /// The URL as it may be shown: any user or password replaced by `***`. For text that may hold
    /// a URL with credentials from elsewhere (a configuration value echoed in an error).
    public static func redacted(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound <= at else { return text }
        let authority = text[scheme.upperBound..<at]
        guard !authority.contains("/") else { return text }
        return text.replacingCharacters(in: scheme.upperBound..<at, with: "***")
    }
}
