import ArgumentParser
import Foundation
import TrawlCore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every document of a collection (all search-document fields), streamed.")

    enum Format: String, ExpressibleByArgument { case jsonl, json }

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Option(name: .long, help: "jsonl (one document a line) or json (one array).") var format: Format = .jsonl
    @Option(name: .shortAndLong, help: "File to write (default: standard output).") var output: String?

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        let collection = try await collectionFor(profile, env: env, store: store)
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output + ".partial", contents: nil),
                let h = FileHandle(forWritingAtPath: output + ".partial")
            else {
                Console.error("cannot write \(output)")
                throw ExitCode(1)
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var cursor: String?
        var first = true
        if format == .json { handle.write(Data("[".utf8)) }
        while true {
            let page = try await store.documents(collection: collection, after: cursor, limit: 500)
            guard let last = page.last else { break }
            var chunk = Data()
            for doc in page {
                if format == .json && !first { chunk.append(Data(",\n".utf8)) }
                chunk.append(try encoder.encode(doc))
                if format == .jsonl { chunk.append(Data("\n".utf8)) }
                first = false
            }
            handle.write(chunk)
            cursor = last.normalizedName
        }
        if format == .json { handle.write(Data("]\n".utf8)) }
        if let output {
            try handle.close()
            // Replace the target only once the export is complete.
            _ = try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.moveItem(atPath: output + ".partial", toPath: output)
        }
    }
}
