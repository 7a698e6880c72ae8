import TrawlCore
import TrawlGitHub
import TrawlPyPI
import TrawlStats

/// The one place that knows every plugin kind: adding a kind is one `register` line here.
enum StandardRegistry {
    static func make() -> PluginRegistry {
        var registry = PluginRegistry()
        registry.registerPyPI()
        registry.registerStats()
        registry.registerGitHub()
        registry.declarePlannedKinds()
        return registry
    }
}
