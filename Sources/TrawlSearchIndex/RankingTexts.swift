import BitCollections
import TrawlCore

/// The short texts relevance reads — normalized name, summary, keywords — of every document, as
/// UTF-8 bytes in one arena, with whether each document's are all ASCII.
///
/// Ranking a search ranks every matching document (100,000 for a word every package has); reading
/// those texts out of `PackageDocument`s retained and released two or three Strings per document,
/// and two threads doing it over the same documents made that atomic traffic a fifth of a search.
/// The summary lives only here (`document(at:)` puts it back), so the arena costs little more than
/// the Strings it stands beside.
struct RankingTexts: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Per document: where its name, summary and keywords start (the next document's name start,
    /// or the end, ends its keywords).
    private(set) var starts: [UInt32] = []
    private(set) var ascii = BitArray()

    var count: Int { ascii.count }

    init(capacity: Int = 0) {
        starts.reserveCapacity(capacity * 3)
        ascii.reserveCapacity(capacity)
    }

    /// Appends a document's texts: each keyword followed by a 0 byte.
    mutating func append(name: String, summary: String, keywords: [String]) {
        let first = bytes.count
        starts.append(UInt32(bytes.count))
        bytes += name.utf8
        starts.append(UInt32(bytes.count))
        bytes += summary.utf8
        starts.append(UInt32(bytes.count))
        for keyword in keywords {
            bytes += keyword.utf8
            bytes.append(0)
        }
        ascii.append(bytes[first...].allSatisfy { $0 < 0x80 })
    }

    /// Appends document `d` of `other` as it is there.
    mutating func append(_ d: Int, of other: RankingTexts) {
        let (from, to) = other.range(d)
        let shift = bytes.count - from
        for k in 0..<3 { starts.append(UInt32(Int(other.starts[3 * d + k]) + shift)) }
        bytes += other.bytes[from..<to]
        ascii.append(other.ascii[d])
    }

    func range(_ d: Int) -> (Int, Int) {
        (Int(starts[3 * d]), d + 1 < count ? Int(starts[3 * d + 3]) : bytes.count)
    }

    /// Document `d`'s summary as a String (for answers and explanations).
    func summary(_ d: Int) -> String {
        String(decoding: bytes[Int(starts[3 * d + 1])..<Int(starts[3 * d + 2])], as: UTF8.self)
    }

    /// Document `d`'s keywords as written into the arena (for the general ranking path).
    func keywords(_ d: Int) -> [String] {
        let (_, end) = range(d)
        return bytes[Int(starts[3 * d + 2])..<end].split(separator: 0, omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with a view of the arena valid for its duration.
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try starts.withUnsafeBufferPointer { starts in try body(View(bytes: bytes, starts: starts, ascii: ascii, count: count)) }
        }
    }

    /// The arena borrowed: each document's texts as buffers, no copy.
    struct View {
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<UInt32>
        let ascii: BitArray
        let count: Int

        /// Document `d`'s texts, or nil when any is not ASCII (the general path ranks it).
        @inline(__always) func texts(_ d: Int) -> RelevanceRanking.ASCIITexts? {
            guard ascii[d] else { return nil }
            let name = Int(starts[3 * d]), summary = Int(starts[3 * d + 1]), keywords = Int(starts[3 * d + 2])
            let end = d + 1 < count ? Int(starts[3 * d + 3]) : bytes.count
            return RelevanceRanking.ASCIITexts(
                name: UnsafeBufferPointer(rebasing: bytes[name..<summary]), summary: UnsafeBufferPointer(rebasing: bytes[summary..<keywords]),
                keywords: UnsafeBufferPointer(rebasing: bytes[keywords..<end]))
        }
    }
}
