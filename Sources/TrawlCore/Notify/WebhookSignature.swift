import Crypto
import Foundation

/// `X-Trawl-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the receiver's
/// secret, so a receiver can tell a delivery from Trawl from anyone else's POST.
public enum WebhookSignature {
    public static let header = "X-Trawl-Signature"
    public static let prefix = "sha256="

    public static func sign(_ body: [UInt8], secret: Secret) -> String {
        let key = SymmetricKey(data: Data(secret.value.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return prefix + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` (the header's value) is the signature of `body` with `secret`, compared in
    /// constant time.
    public static func verify(_ signature: String, body: [UInt8], secret: Secret) -> Bool {
        guard signature.hasPrefix(prefix), let mac = hexBytes(String(signature.dropFirst(prefix.count))) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.value.utf8)))
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            i += 2
        }
        return bytes
    }
}

/// Event ids: hex SHA-256 of what the event is about and who receives it. The same change seen
/// again (a resumed crawl re-reading a batch it had not finished storing, a retried job) gives the
/// same id, so the queue refuses the duplicate and a receiver can drop what slips through.
public enum WebhookEventID {
    public static func make(collection: String, kind: NotifyEventKind, package normalizedName: String, version: String, receiver: String) -> String {
        let text = "\(collection)/\(kind.rawValue)/\(normalizedName)/\(version)\n\(receiver)"
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
