import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlServer
import TrawlStore

@Suite struct AdminKeyTests {
    @Test func generatedOnceAndStoredHashed() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let store = try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path)
        let first = try await AdminKeyBootstrap.prepare(store: store, configured: nil)
        let second = try await AdminKeyBootstrap.prepare(store: store, configured: nil)
        let value = try #require(first?.value)
        #expect(second == nil, "generated once, printed once")
        #expect("\(first!)" == "<redacted>", "never interpolated in clear")
        let keys = try await store.apiKeys()
        #expect(keys.count == 1 && keys[0].scope == .admin && keys[0].prefix == String(value.prefix(6)))
        #expect(try await store.findAPIKey(value: value)?.scope == .admin)
        let raw = ["t.sqlite", "t.sqlite-wal"].compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .isoLatin1) }.joined()
        #expect(!raw.contains(value), "only the hash is stored")
        try await store.close()
    }

    @Test func configuredKeyIsNotStored() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let store = try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path)
        #expect(try await AdminKeyBootstrap.prepare(store: store, configured: Secret("from-the-environment")) == nil)
        #expect(try await store.apiKeys().isEmpty)
        try await store.close()
    }

    @Test func constantTimeComparison() {
        #expect(APIKeyHash.constantTimeEquals("abc", "abc"))
        #expect(!APIKeyHash.constantTimeEquals("abc", "abd"))
        #expect(!APIKeyHash.constantTimeEquals("abc", "abcd"))
        #expect(!APIKeyHash.constantTimeEquals("", "a"))
    }
}
