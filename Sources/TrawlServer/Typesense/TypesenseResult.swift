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
                    guard let text = textField(hit.document, field), let marked = Highlighter.snippet(text, words: words) else { continue }
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
    /// Typesense's defaults: a text of more words than `snippetThreshold` is cut to the first matched
    /// word with `affixWords` words on each side (`snippet_threshold`, `highlight_affix_num_tokens`).
    static let snippetThreshold = 30
    static let affixWords = 4

    /// The snippet Typesense would show: the whole text marked when it is short, else the window
    /// around its first matched word. Marking a description's first 2,000 characters whole made
    /// answers half again as large as Typesense's and their encoding a good share of a search.
    static func snippet(_ text: String, words: [String]) -> (snippet: String, tokens: [String])? {
        guard let window = window(text, words: words) else { return mark(text, words: words) }
        return mark(String(window), words: words)
    }

    /// The words of `text` around its first word starting with a query word, when `text` has more
    /// than `snippetThreshold` words; nil otherwise (or when no word matches: nothing to show).
    static func window(_ text: String, words: [String]) -> Substring? {
        if let ascii = windowASCII(text, words: words) { return ascii }  // Support/Highlighter+ASCII.swift
        let wanted = words.filter { !$0.isEmpty }
        var ranges: [Range<String.Index>] = []
        var first: Int?
        var start: String.Index?
        let scalars = text.unicodeScalars
        func isWord(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? (s.properties.isAlphabetic || ("0"..."9").contains(s)) : (s.properties.isAlphabetic || s.properties.numericType != nil)
        }
        func close(_ end: String.Index) {
            guard let from = start else { return }
            if first == nil {
                let word = text[from..<end].lowercased()
                if wanted.contains(where: { word.hasPrefix($0) }) { first = ranges.count }
            }
            ranges.append(from..<end)
            start = nil
        }
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if isWord(scalars[i]) {
                if start == nil { start = i }
            } else {
                close(i)
            }
            i = scalars.index(after: i)
            // Enough seen: the window is known once the words after the first match are in.
            if let first, ranges.count > max(snippetThreshold, first + affixWords) { break }
        }
        if i == scalars.endIndex { close(i) }
        guard ranges.count > snippetThreshold, let first else { return nil }
        return text[ranges[max(0, first - affixWords)].lowerBound..<ranges[min(ranges.count - 1, first + affixWords)].upperBound]
    }

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
