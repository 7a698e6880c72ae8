import Foundation
import Hummingbird

/// Refuses a request whose target is longer, or whose query string has more parameters, than
/// `RequestLimits` allows, before any route parses it: routes then only ever see bounded input.
/// Runs inside `ErrorMiddleware`, so the refusal is Typesense's `{"message"}` shape.
struct RequestBoundsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let query = request.uri.query ?? ""
        guard path.utf8.count + query.utf8.count <= RequestLimits.uriBytes else {
            throw APIError(.uriTooLong, "The request target is longer than \(RequestLimits.uriBytes) bytes.")
        }
        // Every name taken from a path (collection, package, key id) is at most `nameCharacters`
        // characters once percent-decoded (as docs/limits.md says): not bytes of the raw segment,
        // which refused 200 encoded "é" and let 201 plain letters through to a 404. A raw segment of
        // that many bytes or fewer cannot decode to more characters, so only longer ones are decoded.
        for segment in path.split(separator: "/") where segment.utf8.count > RequestLimits.nameCharacters {
            let decoded = segment.removingPercentEncoding ?? String(segment)
            guard decoded.count <= RequestLimits.nameCharacters else {
                throw APIError.badRequest("A path segment is longer than \(RequestLimits.nameCharacters) characters.")
            }
        }
        guard query.utf8.lazy.filter({ $0 == UInt8(ascii: "&") }).count < RequestLimits.queryItems else {
            throw APIError.badRequest("More than \(RequestLimits.queryItems) query parameters.")
        }
        return try await next(request, context)
    }
}
