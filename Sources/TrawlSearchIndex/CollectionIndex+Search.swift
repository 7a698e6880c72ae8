import BitCollections
import Foundation
import HeapModule
public import TrawlCore

extension CollectionIndex {
    /// Answers a search as the SQL stores do — every word prefix-matched and required, a retry with
    /// near spellings when nothing matched, the same filters, sorts and tie-breaks, relevance
    /// decided by the shared `RelevanceRanking` (tiers, then popularity) — and facets are
    /// disjunctive. `collection` names the ecosystem whose name prefix a query may leave out.
    public func search(_ query: SearchQuery, collection: String = "") throws -> SearchResults {
        for field in query.facets where facets[field] == nil {
            throw SearchError.unknownField(field, allowed: SearchFields.facetable)
        }
        var filterCache: [SearchFilter: BitSet] = [:]
        let allowed = try allowed(by: query.filters, cache: &filterCache)
        let words = Array(Tokenizer.words(query.text).prefix(64))

        var text: TextMatch?
        var matching: [UInt32]
        var corrections: [String: [String]] = [:]
        if words.isEmpty {
            matching = allowed.map { $0.map { UInt32($0) } } ?? Array(0..<UInt32(count))
        } else {
            var found = match(words.map { [dictionary.range(prefix: $0)] })
            matching = found.documents.filter { allowed?.contains(Int($0)) ?? true }
            // Nothing for the words as typed: retry with each unknown word replaced by near spellings
            // (ranked a level below the same match spelt right).
            if matching.isEmpty, let corrected = correctedRanges(words) {
                found = match(corrected.ranges)
                matching = found.documents.filter { allowed?.contains(Int($0)) ?? true }
                corrections = corrected.corrections
            }
            text = found
        }

        let order = try sortKeys(query, hasText: text != nil)
        // Relevance keys only for the matching documents, and only when the order reads them.
        let ranking = RelevanceRanking(text: query.text, collection: collection, corrections: corrections)
        var relevance: [Double]?
        if text != nil, order.contains(where: { if case .score = $0 { true } else { false } }) {
            var keys = [Double](repeating: 0, count: count)
            let downloads = columns.numeric("download_last_month") ?? [], dependents = columns.numeric("dependents_count") ?? [],
                stars = columns.numeric("github_stars") ?? []
            rankingTexts.withView { view in
                for d in matching {
                    let i = Int(d)
                    if let texts = view.texts(i), i < downloads.count, i < dependents.count, i < stars.count {
                        keys[i] = ranking.key(texts, downloads: downloads[i], dependents: dependents[i], stars: stars[i])
                    } else {
                        keys[i] = ranking.key(candidate(i))
                    }
                }
            }
            relevance = keys
        }
        // A page past the end (however large the number asked) needs no ranking at all.
        let (skipped, pastEnd) = (query.page - 1).multipliedReportingOverflow(by: query.perPage)
        let offset = pastEnd ? Int.max : skipped
        let wanted = offset >= matching.count ? 0 : min(matching.count, offset + query.perPage)
        let top = best(matching, wanted: wanted, order, scores: relevance)
        let hits = top.dropFirst(min(offset, top.count)).map { ranked in
            let d = Int(ranked.document)
            return SearchHit(
                document: document(at: d), score: relevance?[d] ?? 0,
                explanation: relevance == nil ? nil : ranking.explain(candidate(d)))
        }

        var counts: [String: [FacetCount]] = [:]
        for group in query.facetGroups {
            let groupAllowed = group.filters == query.filters ? allowed : try self.allowed(by: group.filters, cache: &filterCache)
            for field in group.fields {
                counts[field] = facetCounts(field, text: text, allowed: groupAllowed)
            }
        }
        return SearchResults(total: matching.count, hits: hits, facets: counts)
    }

    /// The documents that matched every word (ascending ids).
    struct TextMatch {
        var documents: [UInt32]
    }

    /// What the shared relevance ranking reads of a document.
    func candidate(_ d: Int) -> RelevanceRanking.Candidate {
        RelevanceRanking.Candidate(
            name: names[d], summary: rankingTexts.summary(d), keywords: documents[d].keywords, downloads: Int64(documents[d].downloadLastMonth),
            dependents: Int64(documents[d].dependentsCount), stars: Int64(documents[d].githubStars))
    }

    /// Every word required: each word is a set of term ranges (its prefix range, or its near
    /// spellings' ranges), and a document matches a word when it holds any of those terms.
    /// (Relevance is `RelevanceRanking`'s, so no text score is computed here.)
    func match(_ words: [[Range<Int>]]) -> TextMatch {
        let n = count
        var matched = [UInt8](repeating: 0, count: n)
        var touched: [UInt32] = []
        for (k, ranges) in words.enumerated() {
            let step = UInt8(k)
            touched = []
            let terms = Set(ranges.flatMap { Array($0) })
            for t in terms {
                dictionary.postings[t].documents.withUnsafeBufferPointer { ids in
                    for id in ids where matched[Int(id)] == step {
                        matched[Int(id)] = step + 1
                        touched.append(id)
                    }
                }
            }
            if touched.isEmpty { return TextMatch(documents: []) }
        }
        touched.sort()
        return TextMatch(documents: touched)
    }

    /// Each word's term ranges for the typo retry: known words keep their prefix range, unknown
    /// ones become their near spellings' ranges (and are listed in `corrections`). nil when there
    /// was nothing to correct.
    func correctedRanges(_ words: [String]) -> (ranges: [[Range<Int>]], corrections: [String: [String]])? {
        var changed = false
        var result: [[Range<Int>]] = []
        var corrections: [String: [String]] = [:]
        for word in words {
            let own = dictionary.range(prefix: word)
            if !own.isEmpty {
                result.append([own])
                continue
            }
            let near = dictionary.nearTerms(word)
            guard !near.isEmpty else { return nil }
            changed = true
            corrections[word] = near
            result.append(near.map { dictionary.range(prefix: $0) })
        }
        return changed ? (result, corrections) : nil
    }

    /// Counts of a facet's values over the matching documents less the facet's own filters.
    func facetCounts(_ field: String, text: TextMatch?, allowed: BitSet?) -> [FacetCount] {
        guard let column = facets[field] else { return [] }
        var counts = [Int](repeating: 0, count: column.values.count)
        func add(_ d: Int) {
            for v in column.valueIDs[Int(column.offsets[d])..<Int(column.offsets[d + 1])] { counts[Int(v)] += 1 }
        }
        if let text {
            for d in text.documents where allowed?.contains(Int(d)) ?? true { add(Int(d)) }
        } else if let allowed {
            for d in allowed { add(d) }
        } else {
            for (v, docs) in column.documents.enumerated() { counts[v] = docs.count }
        }
        var out: [FacetCount] = []
        for (v, n) in counts.enumerated() where n > 0 { out.append(FacetCount(value: column.values[v], count: n)) }
        out.sort { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        return Array(out.prefix(100))
    }
}
