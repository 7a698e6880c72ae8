import Foundation

/// The real project names of `../shared/data/pypi-projects.tsv.gz` (see its README), for benchmarks
/// that want realistic worlds. Run from the repository root; without the file, generated names.
public enum SharedData {
    public static let projects = "../shared/data/pypi-projects.tsv.gz"

    /// The first `count` names starting with `prefix`, topped up with `{prefix}generated-N`.
    public static func names(prefix: String, count: Int) -> [String] {
        var names: [String] = []
        if FileManager.default.fileExists(atPath: projects) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "zcat \(projects) | cut -f1 | grep '^\(prefix)' | head -n \(max(0, count))"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try? process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            names = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        if names.count < count { names += (names.count..<count).map { "\(prefix)generated-\($0)" } }
        return names
    }
}
