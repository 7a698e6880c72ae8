import TrawlCore
import TrawlGitHub
import TrawlPyPI
import TrawlStats

/// The one place that knows every plugin module. A new kind in an existing module is one
/// `register(...)` line in that module's `register…()` (e.g. `registerPyPI()`); a kind that needs a
/// new upstream gets its own module (target, dependency of `trawl`, test target) and one
/// `register…()` line here — the recipe is in docs/architecture.md, "Where new things go".
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
