import Foundation
import PackagePlugin

/// Compiles the target's `*.yaml` profile files into a Swift source file (`BuiltinProfiles`).
/// The YAML files are declared as inputs, so editing, adding or removing one re-runs the command.
@main
struct EmbedProfiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? any SourceModuleTarget else { return [] }
        let profiles = module.sourceFiles
            .map(\.url)
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinProfiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(profiles.count) built-in profiles",
                executable: try context.tool(named: "trawl-embed-profiles").url,
                arguments: [output.path] + profiles.map(\.path),
                inputFiles: profiles,
                outputFiles: [output]
            )
        ]
    }
}
