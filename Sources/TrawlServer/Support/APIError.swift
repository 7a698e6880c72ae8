import Hummingbird

/// An error answered as `{"message": …}` with Typesense's status codes (400 bad request, 401 no
/// or wrong key, 404 unknown collection/document/key, 409 exists, 422 unprocessable).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static let unauthorized = APIError(.unauthorized, "Forbidden - a valid `x-typesense-api-key` header must be sent.")
    static func notFound(_ message: String = "Not Found") -> APIError { APIError(.notFound, message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
}
