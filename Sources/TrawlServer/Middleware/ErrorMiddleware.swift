import Hummingbird
import Logging

/// Every failure answers `{"message": …}` with Typesense's status codes; unexpected errors are a
/// 500 whose details go to the log, never to the client.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try JSONOutput.response(["message": error.message], status: error.status)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "Not Found" : error.status.reasonPhrase)
            return try JSONOutput.response(["message": message], status: error.status)
        } catch let error as any HTTPResponseError {
            return try JSONOutput.response(["message": error.status.reasonPhrase], status: error.status)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: type(of: error)))"])
            return try JSONOutput.response(["message": "Internal error"], status: .internalServerError)
        }
    }
}
