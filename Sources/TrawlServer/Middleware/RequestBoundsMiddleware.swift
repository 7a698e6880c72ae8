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
        // Every name taken from a path (collection, package, key id) is short; percent-encoding may triple it.
        for segment in path.split(separator: "/") where segment.utf8.count > RequestLimits.nameCharacters * 3 {
            throw APIError.badRequest("A path segment is longer than \(RequestLimits.nameCharacters) characters.")
        }
        guard query.utf8.lazy.filter({ $0 == UInt8(ascii: "&") }).count < RequestLimits.queryItems else {
            throw APIError.badRequest("More than \(RequestLimits.queryItems) query parameters.")
        }
        return try await next(request, context)
    }
}
