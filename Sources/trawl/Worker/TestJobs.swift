#if TRAWL_TEST_HOOKS
import Foundation
import TrawlCore

/// Job kinds for tests and benchmarks only, compiled into debug (test) builds alone — the release
/// binary users run has none — and registered there when TRAWL_WORKER_TEST_KINDS=1:
/// `test_sleep` waits `ms` milliseconds, then appends `{id}` to the file `marker` (so a test can see
/// which jobs completed, and how often); `test_fail` always fails.
enum TestJobs {
    static func register(into handlers: inout JobHandlers) {
        handlers.register("test_sleep") { job in
            let arguments = CrawlJobs.arguments(job)
            try await Task.sleep(for: .milliseconds(arguments["ms"] as? Int ?? 0))
            if let marker = arguments["marker"] as? String {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: marker))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("\(job.id)\n".utf8))
                try handle.close()
            }
        }
        handlers.register("test_fail") { job in
            throw Failure(description: "test_fail job \(job.id) failed on purpose")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
#endif
