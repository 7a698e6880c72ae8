import NIOHTTP1

/// One complete request received by a ``LoopbackServer``.
public struct LoopbackRequest: Sendable {
    /// The method, e.g. "GET".
    public let method: String
    /// The request target as sent, e.g. "/pypi/foo/json?x=1".
    public let uri: String
    /// The part of ``uri`` before any `?`, as sent (not percent-decoded), e.g. "/pypi/foo/json".
    public let path: String
    /// The query parameters, percent-decoded (`+` is a space); for a repeated name the last value wins.
    public let query: [String: String]
    /// The headers in the order the client sent them.
    public let headers: [(name: String, value: String)]
    /// The request body (empty when there was none).
    public let body: [UInt8]

    /// Builds a request by hand (for unit tests of handlers).
    public init(
        method: String = "GET",
        uri: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.uri = uri
        let (path, query) = Self.split(uri)
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    init(head: HTTPRequestHead, body: [UInt8]) {
        // Undo the Accept-Encoding rewrite of the server's gzip machinery, so tests see what the client sent.
        var headers: [(name: String, value: String)] = []
        for (name, value) in head.headers {
            switch name.lowercased() {
            case "accept-encoding":
                continue
            case LoopbackHeader.originalAcceptEncoding:
                headers.append((name: "Accept-Encoding", value: value))
            default:
                headers.append((name: name, value: value))
            }
        }
        self.init(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
    }

    /// The first value of the header `name`, compared case-insensitively; nil if absent.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD).
    public var bodyString: String {
        String(decoding: body, as: UTF8.self)
    }

    private static func split(_ uri: String) -> (path: String, query: [String: String]) {
        let withoutFragment = uri.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let pieces = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pieces.first ?? "")
        var query: [String: String] = [:]
        if pieces.count == 2 {
            for pair in pieces[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = percentDecode(keyValue[0])
                let value = keyValue.count == 2 ? percentDecode(keyValue[1]) : ""
                query[key] = value
            }
        }
        return (path, query)
    }

    /// Decodes `%XX` escapes and `+` (as space); a malformed escape is kept as it is.
    static func percentDecode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// What a ``LoopbackServer`` does with a request: answer it, or misbehave in a chosen way.
///
/// Wrappers combine: `.delayed(.seconds(1), .gzip(.json("{}")))` waits a second, then sends a gzip-compressed
/// JSON body. The server always sets a correct Content-Length (except for `.truncated`), replacing any the
/// handler gave.
public indirect enum LoopbackResponse: Sendable {
    /// A normal response.
    case respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// Close the TCP connection without answering (the client sees the connection end before any response).
    case reset
    /// Send `Content-Length: declaredLength`, then only `body`, then close the connection.
    /// Inside `.gzip`, the response is sent chunked instead and cut off before its last chunk.
    case truncated(status: Int, headers: [(String, String)], body: [UInt8], declaredLength: Int)
    /// Wait `Duration` before sending the inner response (the request counts as in flight meanwhile).
    case delayed(Duration, LoopbackResponse)
    /// Send the inner response's body gzip-compressed with `Content-Encoding: gzip`, whatever the request's
    /// Accept-Encoding said (not for HEAD requests).
    case gzip(LoopbackResponse)

    /// A JSON body with `Content-Type: application/json` (unless `headers` sets one).
    public static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> LoopbackResponse {
        .text(text, status: status, contentType: "application/json", headers: headers)
    }

    /// A UTF-8 text body with the given Content-Type (unless `headers` sets one).
    public static func text(
        _ text: String,
        status: Int = 200,
        contentType: String = "text/plain",
        headers: [(String, String)] = []
    ) -> LoopbackResponse {
        let hasContentType = headers.contains { $0.0.lowercased() == "content-type" }
        let allHeaders = hasContentType ? headers : [("Content-Type", contentType)] + headers
        return .respond(status: status, headers: allHeaders, body: Array(text.utf8))
    }

    /// A response with an empty body.
    public static func status(_ code: Int, headers: [(String, String)] = []) -> LoopbackResponse {
        .respond(status: code, headers: headers, body: [])
    }
}
