import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlTypesense

/// The JSONL Typesense imports, without a server.
@Suite struct TypesenseDocumentTests {
    @Test func linesCarryTheNormalizedNameAsIdAndNoRawNewline() throws {
        var doc = PackageDocument(name: "Plone.App_Thing")
        doc.description = "two\nlines and a \"quote\" and https://example.invalid/x"
        doc.projectURLs = ["Home": "https://example.invalid/"]
        let lines = try TypesenseDocument.lines([doc, PackageDocument(name: "b")])
        #expect(lines.count == 2)
        #expect(!lines[0].contains("\n"))
        #expect(lines[0].hasPrefix(#"{"id":"plone-app-thing","#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["id"] as? String == "plone-app-thing")
        #expect(object["name"] as? String == "Plone.App_Thing")
        #expect(object["description"] as? String == doc.description)
        #expect(object["health_score"] as? Int == 0)
    }

    @Test func schemaHasADefaultSortingFieldThatIsDeclaredAndRequired() {
        let schema = TypesensePackageSchema.schema(name: "x-1")
        let sorting = schema.fields.first { $0.name == schema.defaultSortingField }
        #expect(sorting?.type == "int64")
        #expect(sorting?.optional != true)
        #expect(Set(schema.fields.map(\.name)).count == schema.fields.count, "no field declared twice")
        for field in ["health_score", "github_stars", "download_last_week", "upload_timestamp"] {
            #expect(schema.fields.first { $0.name == field }?.type == "int64", "\(field)")
        }
    }

    @Test func aLeanSchemaIndexesOnlyTheNamedFields() {
        let full = TypesensePackageSchema.schema(name: "x-1")
        let lean = TypesensePackageSchema.schema(name: "x-1", indexingOnly: TypesensePackageSchema.indexedByTrawl)
        #expect(lean.fields.map(\.name) == full.fields.map(\.name), "every field still declared, in order")
        for field in lean.fields {
            if TypesensePackageSchema.indexedByTrawl.contains(field.name) {
                #expect(field == full.fields.first { $0.name == field.name }, "\(field.name) unchanged")
            } else {
                #expect(field.index == false && field.optional == true && field.facet == nil && field.sort == nil, "\(field.name)")
            }
        }
        #expect(lean.fields.first { $0.name == "author" }?.index == false)
        #expect(lean.fields.first { $0.name == lean.defaultSortingField }?.index == nil, "the default sorting field stays indexed")
        for field in ["name", "summary", "keywords", "description", "framework_versions", "github_stars"] {
            #expect(lean.fields.first { $0.name == field }?.index == nil, "\(field)")
        }
    }

    @Test func errorsNeverCarryTheKey() async throws {
        let http = HTTPFetcher(configuration: .init(retry: RetryPolicy(maxAttempts: 1), requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let client = TypesenseClient(baseURL: "http://127.0.0.1:1/", apiKey: Secret("s3cr3t-key"), http: http)
        #expect(client.baseURL == "http://127.0.0.1:1")
        #expect(!"\(client)".contains("s3cr3t-key"))
        let error = TypesenseError.status(method: "GET", path: "/keys", status: 401, message: "Forbidden")
        #expect(!error.description.contains("s3cr3t-key"))
        do {
            _ = try await client.collections()
            Issue.record("nothing listens on port 1")
        } catch {
            #expect(!"\(error)".contains("s3cr3t-key"))
        }
        try await http.shutdown()
    }
}
