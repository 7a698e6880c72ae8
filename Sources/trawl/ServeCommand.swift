import ArgumentParser
import Foundation
import TrawlCore
import TrawlServer

/// `trawl serve`: the JSON API, Typesense-compatible search, the web page and /metrics, reading
/// the same store a crawl writes.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API, Typesense-compatible search, the web page and /metrics.",
        discussion: """
            The admin key is TRAWL_ADMIN_KEY; without it, the first start generates one, prints it once \
            and keeps only its hash. Search-only keys: `trawl admin keys create --search-only --collection C`. \
            SIGTERM or SIGINT finish the requests in flight, then stop.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on (0: any free port).") var port = 8108
    @Flag(name: .long, help: "Require an API key for the web page and /api/v1 too.") var `private` = false
    @Option(name: .shortAndLong, help: "Profile whose collection the web page opens on (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Flag(name: .long, help: "Also run `trawl worker` in this process: it keeps fresh every profile whose collection exists, and the -p profile, and runs the queued jobs. A profile with no collection is never crawled unless named with -p.") var worker = false
    @Option(name: .long, help: "With --worker: jobs run at the same time.") var workerConcurrency = 1

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if workerConcurrency < 1 { throw ValidationError("--worker-concurrency must be at least 1") }
    }

    func run() async throws {
        MallocArenas.limit()
        let env = CLIEnvironment(global)
        let profiles = try env.loadProfiles()
        let store = try env.openStore()
        if let generated = try await AdminKeyBootstrap.prepare(store: store, configured: env.config.adminKey) {
            // Shown once, on standard output only; the store keeps its hash.
            // Written straight to the file descriptor: a piped stdout would otherwise hold it until exit.
            FileHandle.standardOutput.write(Data("Generated admin API key (shown once, store it now): \(generated.value)\n".utf8))
        }
        let options = ServerOptions(
            host: host, port: port, isPrivate: `private`, adminKey: env.config.adminKey,
            profiles: profiles.profiles.map { TrawlServer.ProfileSummary(key: $0.key, name: $0.name) },
            defaultCollection: profile ?? env.config.defaultProfile)
        let server = try TrawlHTTPServer(store: store, options: options)
        let host = self.host
        let logger = env.logger
        // --worker: the simplest single-machine deployment, one process that serves and keeps every
        // profile fresh. The worker stops (handing running jobs back) when the server shuts down.
        let workerTask: Task<QueueWorker.Summary, any Error>? = worker ? try {
            let handlers = CrawlJobs(env: env, store: store, profiles: profiles).handlers()
            let scope = try WorkerScope.resolve(named: profile.map { [$0] } ?? [], alsoExisting: true, set: profiles, store: store)
            let queueWorker = QueueWorker(
                queue: store, handlers: handlers,
                configuration: WorkerCommand.workerConfiguration(
                    env.config, scope: scope, once: false, concurrency: workerConcurrency, schedule: true, scheduleAt: nil),
                logger: logger)
            logger.info("worker started in the server process", metadata: ["id": "\(queueWorker.configuration.id)"])
            return Task { try await queueWorker.run() }
        }() : nil
        do {
            try await server.run(logger: env.logger) { port in
                logger.info("trawl serve listening on http://\(host):\(port) (store \(store.redactedDescription))")
                // A line tools and tests can wait for, on standard error so stdout stays clean.
                Console.error("listening on http://\(host):\(port)")
            }
        } catch {
            workerTask?.cancel()
            _ = try? await workerTask?.value
            throw error
        }
        workerTask?.cancel()
        _ = try? await workerTask?.value
        try await store.close()
    }
}
