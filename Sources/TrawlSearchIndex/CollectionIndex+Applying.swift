public import TrawlCore

extension CollectionIndex {
    /// This picture with `upserted` documents replaced or added and `removed` names dropped.
    ///
    /// Only the changed documents are tokenized; every other document's postings are carried over,
    /// renumbered for the new name order in one pass over the posting lists. That keeps a crawl
    /// batch of 200 documents cheap on a 100k collection without a second, per-document copy of
    /// every term list in memory.
    public func applying(upserted: [PackageDocument], removed: Set<String>, revision: Int64, createdAt: Int64? = nil) -> CollectionIndex {
        var changed: [String: PackageDocument] = [:]
        for document in upserted { changed[document.normalizedName] = document }
        let changedNames = changed.keys.sorted(by: TermDictionary.precedes)

        // Merge the kept names with the changed ones; remap[old id] is the new id (or none).
        let none = UInt32.max
        var remap = [UInt32](repeating: none, count: names.count)
        var newNames: [String] = []
        var newDocuments: [PackageDocument] = []
        var newTexts: [DocumentTexts] = []
        var newRanking = RankingTexts(capacity: names.count + changedNames.count)
        var fresh: [(id: UInt32, document: PackageDocument)] = []
        newNames.reserveCapacity(names.count + changedNames.count)
        var i = 0, j = 0
        while i < names.count || j < changedNames.count {
            let takeOld: Bool
            if i == names.count {
                takeOld = false
            } else if j == changedNames.count {
                takeOld = true
            } else {
                takeOld = TermDictionary.precedes(names[i], changedNames[j])
            }
            if takeOld {
                let name = names[i]
                if !removed.contains(name) {
                    remap[i] = UInt32(newNames.count)
                    newNames.append(name)
                    newDocuments.append(documents[i])
                    newTexts.append(texts[i])
                    newRanking.append(i, of: rankingTexts)
                }
                i += 1
            } else {
                let name = changedNames[j]
                if i < names.count, names[i] == name { i += 1 }  // replaced: its old postings go
                if !removed.contains(name), let document = changed[name] {
                    fresh.append((UInt32(newNames.count), document))
                    newNames.append(name)
                    var kept = document
                    newTexts.append(DocumentTexts.split(&kept))
                    newRanking.append(name: name, summary: kept.summary, keywords: kept.keywords)
                    kept.summary = ""
                    newDocuments.append(kept)
                }
                j += 1
            }
        }

        // Tokenize the changed documents; their postings, grouped by term, ascending by id.
        var added: [String: PostingList] = [:]
        for (id, document) in fresh {
            for term in Self.terms(of: document) { added[term, default: PostingList()].append(id) }
        }

        // Carry the old postings over (renumbered, dropped documents left out), adding new entries.
        var terms: [String] = []
        var postings: [PostingList] = []
        terms.reserveCapacity(dictionary.terms.count + added.count)
        postings.reserveCapacity(dictionary.terms.count + added.count)
        let identity = fresh.isEmpty && newNames.count == names.count
        for (t, term) in dictionary.terms.enumerated() {
            var list: PostingList
            if identity {
                list = dictionary.postings[t]
            } else {
                let old = dictionary.postings[t]
                list = PostingList()
                list.documents.reserveCapacity(old.count)
                for document in old.documents {
                    let id = remap[Int(document)]
                    if id != none { list.append(id) }
                }
            }
            if let extra = added.removeValue(forKey: term) { list = Self.merge(list, extra) }
            if list.count > 0 {
                terms.append(term)
                postings.append(list)
            }
        }
        // Terms not seen before: merged into byte order.
        if !added.isEmpty {
            let newTerms = added.keys.sorted(by: TermDictionary.precedes)
            var mergedTerms: [String] = []
            var mergedPostings: [PostingList] = []
            mergedTerms.reserveCapacity(terms.count + newTerms.count)
            mergedPostings.reserveCapacity(terms.count + newTerms.count)
            var a = 0, b = 0
            while a < terms.count || b < newTerms.count {
                if b == newTerms.count || (a < terms.count && TermDictionary.precedes(terms[a], newTerms[b])) {
                    mergedTerms.append(terms[a])
                    mergedPostings.append(postings[a])
                    a += 1
                } else {
                    mergedTerms.append(newTerms[b])
                    mergedPostings.append(added[newTerms[b]]!)
                    b += 1
                }
            }
            terms = mergedTerms
            postings = mergedPostings
        }
        return CollectionIndex(
            revision: revision, createdAt: createdAt ?? self.createdAt, names: newNames, documents: newDocuments, texts: newTexts,
            rankingTexts: newRanking, dictionary: TermDictionary(terms: terms, postings: postings))
    }

    /// A whole collection indexed at once: `documents` in any order, one per name (the last given
    /// wins, as in `applying`). The first load feeds `Builder` page by page instead.
    public static func building(_ documents: [PackageDocument], revision: Int64, createdAt: Int64) -> CollectionIndex {
        var last: [String: Int] = [:]
        for i in documents.indices { last[documents[i].normalizedName] = i }
        var builder = Builder()
        for (_, i) in last.sorted(by: { TermDictionary.precedes($0.key, $1.key) }) { builder.add(documents[i]) }
        return builder.finish(revision: revision, createdAt: createdAt)
    }

    /// Builds an index from documents handed over in name order, one at a time: each is analyzed
    /// and its long texts deflated as it arrives, so a load never holds the whole collection's
    /// texts at once. Posting lists are trimmed to their length at the end. Unlike `applying` onto
    /// an empty index it keeps one copy of the documents (no name-keyed copy, no second list).
    public struct Builder {
        var names: [String] = []
        var documents: [PackageDocument] = []
        var texts: [DocumentTexts] = []
        var rankingTexts = RankingTexts()
        var termIDs: [String: Int] = [:]
        var lists: [PostingList] = []

        public init(capacity: Int = 0) {
            names.reserveCapacity(capacity)
            documents.reserveCapacity(capacity)
            texts.reserveCapacity(capacity)
            rankingTexts = RankingTexts(capacity: capacity)
        }

        /// Whether `name` may come next (strictly after the last one, in byte order).
        public func accepts(_ name: String) -> Bool {
            names.last.map { TermDictionary.precedes($0, name) } ?? true
        }

        /// Adds the next document; it must be `accepts`-ed (name order, no repeat).
        public mutating func add(_ document: PackageDocument) {
            precondition(accepts(document.normalizedName), "Builder.add: documents must come in name order")
            let id = UInt32(documents.count)
            let terms = CollectionIndex.terms(of: document)
            var kept = document
            // Analyzed: the long texts are read again only for hits, so they are kept deflated.
            texts.append(DocumentTexts.split(&kept))
            rankingTexts.append(name: kept.normalizedName, summary: kept.summary, keywords: kept.keywords)
            kept.summary = ""
            names.append(kept.normalizedName)
            documents.append(kept)
            for term in terms {
                if let t = termIDs[term] {
                    lists[t].append(id)
                } else {
                    termIDs[term] = lists.count
                    lists.append(PostingList(documents: [id]))
                }
            }
        }

        public consuming func finish(revision: Int64, createdAt: Int64) -> CollectionIndex {
            let order = termIDs.sorted { TermDictionary.precedes($0.key, $1.key) }
            termIDs = [:]
            var terms: [String] = []
            var postings: [PostingList] = []
            terms.reserveCapacity(order.count)
            postings.reserveCapacity(order.count)
            for (term, t) in order {
                terms.append(term)
                postings.append(lists[t].trimmed())
                lists[t] = PostingList()  // the untrimmed list goes now, not at the end
            }
            return CollectionIndex(
                revision: revision, createdAt: createdAt, names: names, documents: documents, texts: texts,
                rankingTexts: rankingTexts, dictionary: TermDictionary(terms: terms, postings: postings))
        }
    }

    /// Two ascending posting lists with no document in common, as one.
    static func merge(_ a: PostingList, _ b: PostingList) -> PostingList {
        if a.count == 0 { return b.trimmed() }
        if b.count == 0 { return a }
        var out = PostingList()
        out.documents.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a.documents[i] < b.documents[j]) {
                out.append(a.documents[i])
                i += 1
            } else {
                out.append(b.documents[j])
                j += 1
            }
        }
        return out
    }

    /// The terms a document is found by: the words of its name, summary, keywords and description.
    static func terms(of d: PackageDocument) -> Set<String> {
        var terms = Set(Tokenizer.nameWords(d.name))
        Tokenizer.forEachWord(d.summary) { terms.insert($0) }
        Tokenizer.forEachWord(d.keywords.joined(separator: " ")) { terms.insert($0) }
        Tokenizer.forEachWord(d.description) { terms.insert($0) }
        return terms
    }
}
