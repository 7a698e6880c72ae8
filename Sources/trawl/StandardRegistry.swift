import TrawlCore
import TrawlPyPI

/// The one place that knows every plugin kind: adding a kind is one `register` line here.
enum StandardRegistry {
    static func make() -> PluginRegistry {
        var registry = PluginRegistry()
        registry.registerPyPI()
        registry.declarePlannedKinds()
        return registry
    }
}
