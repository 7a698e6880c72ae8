import Foundation
import Testing
import TrawlCore
@testable import TrawlStore

/// A crawl's project-JSON validators (no body kept) are written with the next document batch
/// instead of one write transaction each; validators with a body are written at once.
@Suite struct ValidatorWriteBehindTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trawl-validators-\(UUID().uuidString).sqlite").path
    }

    static func validator(_ n: Int, body: [UInt8] = []) -> CachedResponse {
        CachedResponse(url: "http://127.0.0.1/pypi/p\(n)/json", etag: "\"\(n)\"", lastModified: nil, body: body, storedAt: 1)
    }

    @Test func bodylessValidatorsAreWrittenWithTheNextBatch() async throws {
        let path = Self.temporaryPath()
        let crawl = try SQLiteStore(path: path)
        let other = try SQLiteStore(path: path)
        try await crawl.saveCachedResponse(Self.validator(1))
        #expect(try await crawl.cachedResponse(for: Self.validator(1).url) == Self.validator(1), "the writer sees it at once")
        #expect(try await other.cachedResponse(for: Self.validator(1).url) == nil, "not yet on disk")
        try await crawl.upsert([StoredPackage(document: PackageDocument(name: "p1"))], collection: "c")
        #expect(try await other.cachedResponse(for: Self.validator(1).url) == Self.validator(1), "written with the batch")

        try await crawl.saveCachedResponse(Self.validator(2))
        try await crawl.flushValidators()
        #expect(try await other.cachedResponse(for: Self.validator(2).url) == Self.validator(2))

        let withBody = Self.validator(3, body: Array("{}".utf8))
        try await crawl.saveCachedResponse(withBody)
        #expect(try await other.cachedResponse(for: withBody.url) == withBody, "a kept body is written at once")
        try await crawl.close()
        try await other.close()
    }

    @Test func aFullBufferIsWrittenWithoutWaitingForABatch() async throws {
        let path = Self.temporaryPath()
        let crawl = try SQLiteStore(path: path)
        let other = try SQLiteStore(path: path)
        for n in 0..<SQLiteStore.pendingValidatorLimit {
            try await crawl.saveCachedResponse(Self.validator(n))
        }
        #expect(try await other.cachedResponse(for: Self.validator(0).url) == Self.validator(0))
        #expect(try await other.cachedResponse(for: Self.validator(SQLiteStore.pendingValidatorLimit - 1).url) != nil)
        try await crawl.saveCachedResponse(Self.validator(9999))
        try await crawl.close()
        #expect(try await other.cachedResponse(for: Self.validator(9999).url) != nil, "close writes what is pending")
        try await other.close()
    }
}
