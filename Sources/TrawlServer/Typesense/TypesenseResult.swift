import Foundation
import TrawlCore

/// The shape of a Typesense search answer (`found`, `hits[].document`, `facet_counts` …), so
/// Typesense clients and InstantSearch adapters read it unchanged.
struct TypesenseResult: Encodable, Sendable {
    var facet_counts: [FacetCounts]
    var found: Int
    var hits: [Hit]
    var out_of: Int
    var page: Int
    var request_params: RequestParams
    var search_cutoff = false
    var search_time_ms: Int

    struct Hit: Encodable, Sendable {
        var document: JSONValue
        var highlight: [String: HighlightField]
        var highlights: [Highlight]
        var text_match: Int64
    }

    struct Highlight: Encodable, Sendable {
        var field: String
        var matched_tokens: [String]
        var snippet: String
    }

    struct HighlightField: Encodable, Sendable {
        var matched_tokens: [String]
        var snippet: String
    }

    struct FacetCounts: Encodable, Sendable {
        var counts: [Count]
        var field_name: String
        var sampled = false
        var stats: Stats

        struct Count: Encodable, Sendable {
            var count: Int
            var highlighted: String
            var value: String
        }

        struct Stats: Encodable, Sendable {
            var total_values: Int
        }
    }

    struct RequestParams: Encodable, Sendable {
        var collection_name: String
        var per_page: Int
        var q: String
    }
}

/// Builds the answer: documents get Typesense's `id` (the normalized name), keep only
/// `include_fields` / drop `exclude_fields`, and carry highlights whose snippets are HTML-escaped
/// package text with `<mark>` around matched words.
enum TypesenseResultBuilder {
    static func build(
        _ results: SearchResults, params: TypesenseParams, query: SearchQuery, collection: String, outOf: Int, started: ContinuousClock.Instant
    ) throws -> TypesenseResult {
        let maxFacetValues = try params.maxFacetValues()
        let include = Set(params.list("include_fields"))
        let exclude = Set(params.list("exclude_fields"))
        let highlightFields = params.list("highlight_fields").isEmpty ? params.list("query_by") : params.list("highlight_fields")
        let words = params.words
        let hits = try results.hits.map { hit -> TypesenseResult.Hit in
            var object = try JSONValue.from(hit.document).objectValue ?? [:]
            object["id"] = .string(hit.document.normalizedName)
            if !include.isEmpty { object = object.filter { include.contains($0.key) } }
            for key in exclude { object.removeValue(forKey: key) }
            var highlights: [TypesenseResult.Highlight] = []
            var highlight: [String: TypesenseResult.HighlightField] = [:]
            if !words.isEmpty {
                for field in highlightFields {
                    guard let text = textField(hit.document, field), let marked = Highlighter.mark(text, words: words) else { continue }
                    highlights.append(.init(field: field, matched_tokens: marked.tokens, snippet: marked.snippet))
                    highlight[field] = .init(matched_tokens: marked.tokens, snippet: marked.snippet)
                }
            }
            return .init(document: .object(object), highlight: highlight, highlights: highlights, text_match: BoundedNumber.int64(clamping: hit.score * 1_000_000, to: 0...Int64.max))
        }
        let facets = query.facets.map { field in
            let counts = results.facets[field] ?? []
            return TypesenseResult.FacetCounts(
                counts: counts.prefix(maxFacetValues).map { .init(count: $0.count, highlighted: HTML.escape($0.value), value: $0.value) },
                field_name: field, stats: .init(total_values: counts.count))
        }
        let elapsed = ContinuousClock.now - started
        return TypesenseResult(
            facet_counts: facets, found: results.total, hits: hits, out_of: outOf, page: query.page,
            request_params: .init(collection_name: collection, per_page: query.perPage, q: params["q"] ?? ""),
            search_time_ms: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
    }

    static func textField(_ d: PackageDocument, _ field: String) -> String? {
        switch field {
        case "name": d.name
        case "summary": d.summary
        case "author": d.author
        case "keywords": d.keywords.joined(separator: ", ")
        case "description": String(d.description.prefix(2000))
        default: nil
        }
    }
}

/// Marks query words in package text for snippets; everything else is escaped.
enum Highlighter {
    static func mark(_ text: String, words: [String]) -> (snippet: String, tokens: [String])? {
        if let ascii = markASCII(text, words: words) { return ascii }  // Support/Highlighter+ASCII.swift
        var output = ""
        var tokens: [String] = []
        var current = ""
        func flush() {
            guard !current.isEmpty else { return }
            let lower = current.lowercased()
            if words.contains(where: { lower.hasPrefix($0) }) {
                output += "<mark>\(HTML.escape(current))</mark>"
                tokens.append(current)
            } else {
                output += HTML.escape(current)
            }
            current = ""
        }
        for c in text {
            if c.isLetter || c.isNumber { current.append(c) } else {
                flush()
                output += HTML.escape(String(c))
            }
        }
        flush()
        return tokens.isEmpty ? nil : (output, tokens)
    }
}
