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
        var newLengths: [UInt32] = []
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
                    newLengths.append(lengths[i])
                }
                i += 1
            } else {
                let name = changedNames[j]
                if i < names.count, names[i] == name { i += 1 }  // replaced: its old postings go
                if !removed.contains(name), let document = changed[name] {
                    fresh.append((UInt32(newNames.count), document))
                    newNames.append(name)
                    newDocuments.append(document)
                    newLengths.append(0)
                }
                j += 1
            }
        }

        // Tokenize the changed documents; their postings, grouped by term, ascending by id.
        var added: [String: PostingList] = [:]
        for (id, document) in fresh {
            let (weights, length) = Self.analyze(document)
            newLengths[Int(id)] = length
            for (term, weight) in weights { added[term, default: PostingList()].append(id, weight) }
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
                list.weights.reserveCapacity(old.count)
                for k in 0..<old.count {
                    let id = remap[Int(old.documents[k])]
                    if id != none { list.append(id, old.weights[k]) }
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
            revision: revision, createdAt: createdAt ?? self.createdAt, names: newNames, documents: newDocuments, lengths: newLengths,
            dictionary: TermDictionary(terms: terms, postings: postings))
    }

    /// A whole collection indexed at once (the first load): `documents` in name order. Unlike
    /// `applying` onto an empty index it keeps one copy of the documents (no name-keyed copy, no
    /// second list), and trims every posting list to its length, so the memory a load takes at
    /// its peak is little more than what the index keeps.
    public static func building(_ documents: [PackageDocument], revision: Int64, createdAt: Int64) -> CollectionIndex {
        var documents = documents
        let sorted = zip(documents, documents.dropFirst()).allSatisfy { TermDictionary.precedes($0.normalizedName, $1.normalizedName) }
        if !sorted {
            // Name order, one document per name (the last given wins, as in `applying`).
            var last: [String: Int] = [:]
            for (i, d) in documents.enumerated() { last[d.normalizedName] = i }
            documents = last.sorted { TermDictionary.precedes($0.key, $1.key) }.map { documents[$0.value] }
        }
        var lengths: [UInt32] = []
        lengths.reserveCapacity(documents.count)
        var termIDs: [String: Int] = [:]
        var lists: [PostingList] = []
        for (id, document) in documents.enumerated() {
            let (weights, length) = analyze(document)
            lengths.append(length)
            for (term, weight) in weights {
                if let t = termIDs[term] {
                    lists[t].append(UInt32(id), weight)
                } else {
                    termIDs[term] = lists.count
                    lists.append(PostingList(documents: [UInt32(id)], weights: [weight]))
                }
            }
        }
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
            revision: revision, createdAt: createdAt, names: documents.map(\.normalizedName), documents: documents, lengths: lengths,
            dictionary: TermDictionary(terms: terms, postings: postings))
    }

    /// Two ascending posting lists with no document in common, as one.
    static func merge(_ a: PostingList, _ b: PostingList) -> PostingList {
        if a.count == 0 { return b.trimmed() }
        if b.count == 0 { return a }
        var out = PostingList()
        out.documents.reserveCapacity(a.count + b.count)
        out.weights.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a.documents[i] < b.documents[j]) {
                out.append(a.documents[i], a.weights[i])
                i += 1
            } else {
                out.append(b.documents[j], b.weights[j])
                j += 1
            }
        }
        return out
    }

    /// Column weights of the SQL stores' bm25: name 10, summary 4, keywords 3, description 1.
    static let nameWeight: UInt32 = 10, summaryWeight: UInt32 = 4, keywordsWeight: UInt32 = 3, descriptionWeight: UInt32 = 1

    /// A document's terms with their weighted frequencies, and its length in words.
    static func analyze(_ d: PackageDocument) -> (weights: [String: UInt16], length: UInt32) {
        var sums: [String: UInt32] = [:]
        var length: UInt32 = 0
        for word in Tokenizer.nameWords(d.name) {
            sums[word, default: 0] += nameWeight
            length += 1
        }
        Tokenizer.forEachWord(d.summary) {
            sums[$0, default: 0] += summaryWeight
            length += 1
        }
        Tokenizer.forEachWord(d.keywords.joined(separator: " ")) {
            sums[$0, default: 0] += keywordsWeight
            length += 1
        }
        Tokenizer.forEachWord(d.description) {
            sums[$0, default: 0] += descriptionWeight
            length += 1
        }
        return (sums.mapValues { UInt16(min($0, UInt32(UInt16.max))) }, length)
    }
}
