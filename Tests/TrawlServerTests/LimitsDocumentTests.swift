import Foundation
import Testing
@testable import TrawlServer

/// One table of request limits (`RequestLimits.table`), written out twice for readers: the docs
/// page and the OpenAPI description. They must say what the code enforces.
@Suite struct LimitsDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func docsLimitsPageListsEveryRowOfTheTable() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/limits.md"), encoding: .utf8)
        for row in RequestLimits.table {
            #expect(page.contains("| \(row.name) | \(row.bound) |"), "docs/limits.md lacks or disagrees on: \(row.name) = \(row.bound)")
        }
    }

    @Test func openAPIDescriptionCarriesTheSameLimits() throws {
        let yaml = OpenAPIDocument.yaml
        for row in RequestLimits.table {
            #expect(yaml.contains("    \(row.name): \"\(row.bound)\""), "openapi.yaml x-trawl-limits lacks \(row.name)")
        }
        #expect(yaml.contains("maximum: \(RequestLimits.page.upperBound)"))
        #expect(yaml.contains("maximum: \(RequestLimits.apiPerPage.upperBound)"))
        #expect(yaml.contains("maxLength: \(RequestLimits.queryCharacters)"))
    }
}
