import BitCollections
import Foundation
import HeapModule
public import TrawlCore

extension CollectionIndex {
    /// Answers a search as the SQL stores do — every word prefix-matched and required, ranked by
    /// bm25 with the name weighing most, a retry with near spellings when nothing matched, the
    /// same filters, sorts and tie-breaks — plus two things users expect of a search box: a query
    /// equal to a package's name returns that package first, and facets are disjunctive.
    public func search(_ query: SearchQuery) throws -> SearchResults {
        for field in query.facets where facets[field] == nil {
            throw SearchError.unknownField(field, allowed: SearchFields.facetable)
        }
        var filterCache: [SearchFilter: BitSet] = [:]
        let allowed = try allowed(by: query.filters, cache: &filterCache)
        let words = Array(Tokenizer.words(query.text).prefix(64))

        var text: TextMatch?
        var matching: [UInt32]
        if words.isEmpty {
            matching = allowed.map { $0.map { UInt32($0) } } ?? Array(0..<UInt32(count))
        } else {
            let exactName = PackageName.normalize(query.text.trimmingCharacters(in: .whitespaces))
            var found = match(words.map { [dictionary.range(prefix: $0)] }, exactNames: [exactName])
            matching = found.documents.filter { allowed?.contains(Int($0)) ?? true }
            // Nothing for the words as typed: retry with each unknown word replaced by near spellings
            // (a one-word query then puts a package named as the corrected word first: djnago → django).
            if matching.isEmpty, let corrected = correctedRanges(words) {
                found = match(corrected.ranges, exactNames: words.count == 1 ? corrected.spellings : [])
                matching = found.documents.filter { allowed?.contains(Int($0)) ?? true }
            }
            text = found
        }

        let order = try sortKeys(query, hasText: text != nil)
        // A page past the end (however large the number asked) needs no ranking at all.
        let (skipped, pastEnd) = (query.page - 1).multipliedReportingOverflow(by: query.perPage)
        let offset = pastEnd ? Int.max : skipped
        let wanted = offset >= matching.count ? 0 : min(matching.count, offset + query.perPage)
        var best = Heap<Ranked>()
        for document in matching where wanted > 0 {
            let ranked = rank(document, order, scores: text?.scores)
            if best.count < wanted {
                best.insert(ranked)
            } else if ranked < best.max! {
                best.replaceMax(with: ranked)
            }
        }
        var top: [Ranked] = []
        top.reserveCapacity(best.count)
        while let worst = best.popMax() { top.append(worst) }
        top.reverse()
        let hits = top.dropFirst(min(offset, top.count)).map { ranked in
            SearchHit(document: document(at: Int(ranked.document)), score: text.map { Double($0.scores[Int(ranked.document)]) } ?? 0)
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

    /// The documents that matched every word, with their scores (indexed by document id).
    struct TextMatch {
        var documents: [UInt32]
        var scores: [Float]
    }

    static let k1 = 1.2, b = 0.75

    /// Every word required: each word is a set of term ranges (its prefix range, or its near
    /// spellings' ranges), and a document matches a word when it holds any of those terms.
    /// Scored like FTS5's bm25: per word, the weighted frequency summed over its terms, the idf
    /// of the documents holding any of them, and the document's length against the average.
    func match(_ words: [[Range<Int>]], exactNames: [String]) -> TextMatch {
        let n = count
        var matched = [UInt8](repeating: 0, count: n)
        var seen = [UInt8](repeating: 0, count: n)
        var weight = [UInt32](repeating: 0, count: n)
        var scores = [Float](repeating: 0, count: n)
        var touched: [UInt32] = []
        for (k, ranges) in words.enumerated() {
            let step = UInt8(k)
            touched = []
            var holders = 0
            let terms = Set(ranges.flatMap { Array($0) })
            let single = terms.count == 1
            for t in terms {
                let list = dictionary.postings[t]
                if single { holders = list.count }
                list.documents.withUnsafeBufferPointer { ids in
                    list.weights.withUnsafeBufferPointer { weights in
                        for e in 0..<ids.count {
                            let d = Int(ids[e])
                            if !single, seen[d] != step &+ 1 {
                                seen[d] = step &+ 1
                                holders += 1
                            }
                            if matched[d] == step {
                                if weight[d] == 0 { touched.append(UInt32(d)) }
                                weight[d] &+= UInt32(weights[e])
                            }
                        }
                    }
                }
            }
            var idf = log((Double(n - holders) + 0.5) / (Double(holders) + 0.5))
            if idf <= 0 { idf = 1e-6 }
            for d32 in touched {
                let d = Int(d32)
                let f = Double(weight[d])
                let norm = Self.k1 * (1 - Self.b + Self.b * Double(lengths[d]) / averageLength)
                scores[d] += Float(idf * f * (Self.k1 + 1) / (f + norm))
                matched[d] = step + 1
                weight[d] = 0
            }
            if touched.isEmpty { return TextMatch(documents: [], scores: scores) }
        }
        // A query that is a package's name puts that package first.
        for name in exactNames {
            if let exact = id(of: name), matched[exact] == UInt8(words.count) { scores[exact] += 1_000_000 }
        }
        touched.sort()
        return TextMatch(documents: touched, scores: scores)
    }

    /// Each word's term ranges for the typo retry: known words keep their prefix range, unknown
    /// ones become their near spellings' ranges. nil when there was nothing to correct.
    func correctedRanges(_ words: [String]) -> (ranges: [[Range<Int>]], spellings: [String])? {
        var changed = false
        var result: [[Range<Int>]] = []
        var spellings: [String] = []
        for word in words {
            let own = dictionary.range(prefix: word)
            if !own.isEmpty {
                result.append([own])
                continue
            }
            let near = dictionary.nearTerms(word)
            guard !near.isEmpty else { return nil }
            changed = true
            spellings += near
            result.append(near.map { dictionary.range(prefix: $0) })
        }
        return changed ? (result, spellings) : nil
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
