import ArgumentParser
import Foundation
import Logging
import TrawlCore

/// Flags every subcommand takes (docs/design.md §5): where the store and extra profiles are, and how chatty to be.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Store URL: sqlite:PATH (default sqlite:.trawl/trawl.sqlite) or postgres://user:pass@host:port/db; overrides TRAWL_STORE.", valueName: "url"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Folder of drop-in profile files; overrides TRAWL_PROFILES_DIR.", valueName: "dir"))
    var profilesDir: String?

    @Flag(name: [.short, .long], help: "Log each request and decision (never secrets).")
    var verbose = false

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    var logLevel: Logger.Level { verbose ? .debug : (quiet ? .error : .info) }
}

/// Standard error, for diagnostics that must not mix with JSON on standard output.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A run's closing report: its lines on standard output unless quiet, its warnings (work left
    /// undone) always, on standard error so `--json` output stays one object.
    static func report(_ report: RunReport, quiet: Bool) {
        if !quiet { for line in report.lines { print(line) } }
        for warning in report.warnings { error(warning) }
    }

    /// A run's work with the exit codes of docs/design.md: an `ExitCode` it throws (2 bad input,
    /// 3 problems) passes through; any other error is printed as "`what` failed: …" and exits 1.
    static func exitCodes(_ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let code as ExitCode {
            throw code
        } catch {
            Console.error("\(what) failed: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Logging goes to standard error, once per process, at the level the flags ask for.
enum LoggingSetup {
    nonisolated(unsafe) private static var done = false

    static func bootstrap(_ level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
