import Foundation
import Hummingbird

/// One JSON shape for every answer: sorted keys and unescaped slashes, so equal data gives equal
/// bytes (Hummingbird's default encoder escapes `/` and has no stable key order).
enum JSONOutput {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try bytes(value))))
    }

    /// What `encoder()` writes for `value`, written by `JSONTree` when it models every part of it
    /// (several times faster for search answers), else by Foundation.
    static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        do {
            return try JSONTree.bytes(JSONTree.encode(value))
        } catch is JSONTree.Unsupported {
            return Array(try encoder().encode(value))
        }
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
