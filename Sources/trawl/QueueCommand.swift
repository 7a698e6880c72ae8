import ArgumentParser
import Foundation
import TrawlCore
import TrawlStore

/// `trawl queue stats | purge`: what the workers have to do, and a way to empty it.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect or empty the job queue.",
        subcommands: [QueueStatsCommand.self, QueuePurgeCommand.self])
}

struct QueueStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Jobs pending, running, failed (retrying) and dead by kind; workers seen in the last minute.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    struct Output: Encodable {
        var kinds: [String: [String: Int]]
        var totals: [String: Int]
        var workers: [WorkerInfo]
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        do {
            let counts = try await store.jobCounts()
            let workers = try await store.workers(seenSince: Int64(Date().timeIntervalSince1970) - 60)
            try await store.close()
            let statuses: [JobStatus] = [.pending, .running, .failed, .dead, .done]
            var kinds: [String: [String: Int]] = [:]
            var totals = Dictionary(uniqueKeysWithValues: statuses.map { ($0.rawValue, 0) })
            for count in counts {
                kinds[count.kind, default: Dictionary(uniqueKeysWithValues: statuses.map { ($0.rawValue, 0) })][count.status.rawValue] = count.count
                totals[count.status.rawValue, default: 0] += count.count
            }
            if json {
                print(try JSONText.encode(Output(kinds: kinds, totals: totals, workers: workers), pretty: false))
                return
            }
            let header = ["kind", "pending", "running", "failed", "dead", "done"]
            var rows = kinds.keys.sorted().map { kind in [kind] + statuses.map { String(kinds[kind]?[$0.rawValue] ?? 0) } }
            rows.append(["total"] + statuses.map { String(totals[$0.rawValue] ?? 0) })
            let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
            for row in [header] + rows {
                print(row.indices.map { i in i == 0 ? row[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[i] - row[i].count) + row[i] }
                    .joined(separator: "  "))
            }
            print("workers seen in the last minute: \(workers.count)")
            for w in workers { print("  \(w.id)  running \(w.running)") }
        } catch {
            try? await store.close()
            Console.error("queue stats failed: \(error)")
            throw ExitCode(1)
        }
    }
}

struct QueuePurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete every job of the queue (pending, running, failed, dead and done).",
        discussion: "Asks for confirmation on a terminal; without a terminal it refuses unless --force is given.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Do not ask.") var force = false

    func run() async throws {
        let env = CLIEnvironment(global)
        if !force {
            guard isatty(STDIN_FILENO) == 1 else {
                Console.error("queue purge deletes every job; no terminal to ask on, so pass --force to confirm")
                throw ExitCode(2)
            }
            FileHandle.standardError.write(Data("Delete every job in \(StoreLocator.redact(env.storeURL))? Type 'yes' to confirm: ".utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                Console.error("not purged")
                throw ExitCode(1)
            }
        }
        let store = try env.openStore()
        do {
            let removed = try await store.purgeJobs(statuses: [])
            try await store.close()
            if !global.quiet { print("purged \(removed) jobs") }
        } catch {
            try? await store.close()
            Console.error("queue purge failed: \(error)")
            throw ExitCode(1)
        }
    }
}
