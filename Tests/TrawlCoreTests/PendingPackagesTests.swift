import Foundation
import Testing
import TrawlCore

/// The pending list's rules: what waits, for how long, and what leaves it.
@Suite struct PendingPackagesTests {
    @Test func backoffDoublesFromAMinuteToAnHour() {
        #expect((1...8).map(PendingPackage.backoff(afterAttempts:)) == [60, 120, 240, 480, 960, 1_920, 3_600, 3_600])
        #expect(PendingPackage.backoff(afterAttempts: 0) == 60)
        #expect(PendingPackage.backoff(afterAttempts: Int.max) == 3_600)
    }

    @Test func failuresWaitTheirBackoffForAWorkerButNotForACommand() {
        var list = PendingPackages()
        list.failed("Foo_Bar", reason: "pypi-unreachable", now: 1_000, sources: ["pypi-classifiers"], official: true)
        list.failed("foo-bar", reason: "pypi-http", now: 1_100)
        let entry = try! #require(list.entries["foo-bar"])
        #expect(entry.attempts == 2)
        #expect(entry.reason == "pypi-http", "the last failure's reason")
        #expect(entry.since == 1_000)
        #expect(entry.notBefore == 1_100 + 120)
        #expect(entry.sources == ["pypi-classifiers"] && entry.official, "the discovering sources are kept")
        #expect(list.due(at: 1_219, all: false).isEmpty)
        #expect(list.due(at: 1_220, all: false).map(\.name) == ["foo-bar"])
        #expect(list.due(at: 0, all: true).map(\.name) == ["foo-bar"])
    }

    @Test func anUpstreamsCallAgainTimeWinsOverAShorterBackoff() {
        var list = PendingPackages()
        list.failed("a", reason: PendingPackage.rateLimited, now: 1_000, retryAt: 50_000)
        list.failed("b", reason: PendingPackage.rateLimited, now: 1_000, retryAt: 1_001)
        let a = list.entries["a"], b = list.entries["b"]
        #expect(a?.notBefore == 50_000)
        #expect(b?.notBefore == 1_060)
    }

    @Test func takenOnWaitsAsNotReachedUntilSettled() {
        var list = PendingPackages()
        let first = list.takeOn("New.Package", now: 5)
        #expect(first)
        list.failed("other", reason: "pypi-json", now: 5)
        let kept = list.takeOn("other", now: 9)
        let other = list.entries["other"]
        #expect(kept, "taking on a waiting package keeps its record")
        #expect(other?.attempts == 1)
        #expect(list.reasons == ["not-reached": 1, "pypi-json": 1])
        #expect(list.summaryLine == "2 pending (not-reached 1, pypi-json 1)")
        list.settle(["NEW_package"])
        #expect(list.names == ["other"])
    }

    @Test func theListIsBounded() {
        var list = PendingPackages((0..<PendingPackages.capacity).map { PendingPackage(name: "p\($0)", reason: "x", since: 0) })
        let takenOn = list.takeOn("one-more", now: 1)
        let failedKept = list.failed("one-more", reason: "x", now: 1)
        let updated = list.failed("p7", reason: "y", now: 1)
        #expect(!takenOn && !failedKept)
        #expect(updated, "a waiting one is still updated")
        #expect(list.count == PendingPackages.capacity)
    }

    @Test func storedFormRoundTripsAndReadsTheOldNameList() throws {
        var list = PendingPackages()
        list.failed("a", reason: "pypi-http", now: 10, sources: ["s"])
        list.takeOn("b", now: 11)
        let data = try JSONEncoder().encode(list)
        #expect(try JSONDecoder().decode(PendingPackages.self, from: data) == list)
        #expect(String(decoding: data, as: UTF8.self).contains("\"not_before\""))
        let legacy = try JSONDecoder().decode(PendingPackages.self, from: Data(#"["Foo.Bar","baz"]"#.utf8))
        #expect(legacy.names == ["foo-bar", "baz"])
        #expect(legacy.reasons == ["not-reached": 2])
    }
}

/// What a log line may carry of upstream text.
@Suite struct LogTextTests {
    @Test func urlsLoseCredentialsAndQueriesAndStayShort() {
        let names = (0..<1_000).map { "name-\($0)" }.joined(separator: ",")
        #expect(LogText.url("http://user:secret@127.0.0.1:9/?param_names=\(names)") == "http://***@127.0.0.1:9/?…")
        #expect(LogText.url("http://h/p#frag") == "http://h/p?…")
        let long = LogText.url("http://h/" + String(repeating: "a", count: 500))
        #expect(long.count == LogText.maxURL && long.hasSuffix("…"))
        #expect(LogText.url("http://h/pypi/x/json") == "http://h/pypi/x/json")
    }

    @Test func listsAreSummarised() {
        #expect(LogText.names(["a", "b"]) == "a, b")
        #expect(LogText.names((0..<174).map { "p\($0)" }) == "p0, p1, p2, p3, p4 and 169 more (174 names)")
        #expect(LogText.capped(String(repeating: "x", count: 600)).count == LogText.maxText)
    }
}
