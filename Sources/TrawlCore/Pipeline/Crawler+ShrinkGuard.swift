extension Crawler {
    /// The shrink guard: a run may not remove (or flag stale) more than half of a collection unless
    /// forced. An index outage, a mirror that lists nothing or a wrong setting looks exactly like
    /// "most packages vanished"; a directory must not empty itself on such a run. Withheld changes
    /// are named in the summary (`withheld`), and the command exits 3.
    func shrinkAllowed(_ count: Int, action: String, summary: inout CrawlSummary) async throws -> Bool {
        guard count > 0, !options.force else { return true }
        let total = try await store.documentCount(collection: collection)
        guard count * 2 > total else { return true }
        let reason = "would \(action) \(count) of the \(total) packages of '\(collection)' (more than half); nothing was done — "
            + "if they really are gone, run again with --force"
        summary.withheld = summary.withheld.map { $0 + "; " + reason } ?? reason
        logger.warning("shrink guard: \(reason)")
        return false
    }
}
