import Foundation
import PackagePlugin

/// `swift package lint-profiles [FILE...]`: validates the package's profile files (or the files
/// given) with the same validator `trawl profiles validate` uses, so the rules live in one place.
@main
struct LintProfiles: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var files = arguments
        if files.isEmpty {
            for case let module as any SourceModuleTarget in context.package.targets where module.name == "ProfileData" {
                files += module.sourceFiles.map(\.url).filter { ["yaml", "yml"].contains($0.pathExtension) }.map(\.path)
            }
        }
        let trawl = try context.tool(named: "trawl").url
        let process = Process()
        process.executableURL = trawl
        // --no-builtins: the files themselves are the built-ins; validating them twice would report
        // every key as a duplicate of itself.
        process.arguments = ["profiles", "validate", "--no-builtins"] + files.sorted()
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("profile validation failed (trawl exited \(process.terminationStatus))")
            throw LintFailure(status: process.terminationStatus)
        }
    }
}

struct LintFailure: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "trawl profiles validate exited with status \(status)" }
}
