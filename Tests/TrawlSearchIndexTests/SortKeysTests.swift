import Testing
import TrawlCore
@testable import TrawlSearchIndex

/// The block-wise top-k (`CollectionIndex.best`) against sorting everything, across block edges.
@Suite struct SortKeysTests {
    @Test(arguments: [0, 1, 20, 4_095, 4_096, 4_097, 9_000])
    func bestEqualsAFullSort(count: Int) {
        var documents: [PackageDocument] = []
        for i in 0..<count {
            var d = PackageDocument(name: "p\(String(i, radix: 36))")
            d.githubStars = (i * 7_919) % 97
            d.downloadLastMonth = (i * 104_729) % 13
            documents.append(d)
        }
        let index = CollectionIndex.building(documents, revision: 1, createdAt: 0)
        guard let stars = index.columns.numeric("github_stars"), let downloads = index.columns.numeric("download_last_month") else {
            Issue.record("columns missing")
            return
        }
        let keys: [SortKey] = [.column(stars, descending: true), .column(downloads, descending: false), .name(descending: false)]
        let matching = (0..<UInt32(count)).filter { $0 % 3 != 1 }
        for wanted in [0, 1, 20, 250] {
            let best = index.best(matching, wanted: wanted, keys, scores: nil).map(\.document)
            let sorted = matching.sorted { a, b in
                let (i, j) = (Int(a), Int(b))
                if stars[i] != stars[j] { return stars[i] > stars[j] }
                if downloads[i] != downloads[j] { return downloads[i] < downloads[j] }
                return a < b
            }
            #expect(best == Array(sorted.prefix(wanted)), "count \(count), wanted \(wanted)")
        }
    }
}
