import Testing
import TestSupport
import TrawlCore

/// "Used by" inside one ecosystem, from `requires_dist` alone: PEP 503 names, extras and markers
/// understood, packages outside the collection ignored.
@Suite struct DependencyGraphTests {
    static func doc(_ name: String, _ requires: [String]) -> PackageDocument {
        var d = PackageDocument(name: name)
        d.requiresDist = requires
        return d
    }

    @Test func requirementLines() {
        #expect(RequirementLine.parse("Django_Filter[all] (>=2.0)") == RequirementLine(name: "django-filter", condition: nil))
        #expect(RequirementLine.parse("redis>=4; extra == \"cache\"")?.condition == .extra)
        #expect(RequirementLine.parse("pywin32 ; sys_platform == 'win32'")?.condition == .platform)
        #expect(RequirementLine.parse("tomli; python_version < \"3.11\"")?.condition == .marker)
        #expect(RequirementLine.parse("zope.interface")?.name == "zope-interface")
        #expect(RequirementLine.parse("pkg.-")?.name == "pkg")
        #expect(RequirementLine.parse(">=1.0") == nil)
        #expect(RequirementLine.parse("") == nil)
        #expect(RequirementLine.parse(String(repeating: "a", count: 5_000)) == nil)
    }

    @Test func dependentsAndDependenciesWithConditions() {
        let graph = DependencyGraph([
            Self.doc("core", ["requests>=2"]),  // requests is outside the collection
            Self.doc("Plugin_A", ["core>=1", "core[x]; extra == \"x\""]),  // unconditional wins
            Self.doc("plugin-b", ["Core; extra == \"full\""]),
            Self.doc("plugin-c", ["core ; sys_platform == \"win32\"", "plugin-a"]),
            Self.doc("loner", ["loner"]),  // a package never uses itself
        ])
        #expect(graph.dependents(of: "core").map(\.name) == ["plugin-a", "plugin-b", "plugin-c"])
        #expect(graph.dependents(of: "core").map(\.condition) == [nil, .extra, .platform])
        #expect(graph.dependencies(of: "plugin_c").map(\.name) == ["core", "plugin-a"])
        #expect(graph.dependencies(of: "core").isEmpty, "requirements outside the collection are not edges")
        #expect(graph.dependents(of: "loner").isEmpty)
    }

    /// A generated collection: every edge the graph reports is a requirement of the requiring
    /// package, and every requirement of a member on another member is an edge.
    @Test func generatedCollectionAgreesWithItsRequirements() {
        var g = SeededGenerator(seed: 0xDE9E_17D5)
        let names = (0..<300).map { "pkg-\($0)" }
        let markers = ["", "; extra == \"x\"", "; sys_platform == \"linux\"", "; python_version >= \"3.9\""]
        let documents = names.map { name in
            Self.doc(name, (0..<g.below(6)).map { _ in
                let target = g.chance(80) ? g.pick(names).replacingOccurrences(of: "-", with: g.pick(["-", "_", "."])) : "outside-\(g.below(50))"
                return target.uppercased() + g.pick(["", ">=1.0", "[extra]", " (<3)"]) + g.pick(markers)
            })
        }
        let graph = DependencyGraph(documents)
        let members = Set(names)
        for d in documents {
            let expected = Set(d.requiresDist.compactMap { RequirementLine.parse($0)?.name }.filter { members.contains($0) && $0 != d.normalizedName })
            #expect(Set(graph.dependencies(of: d.name).map(\.name)) == expected)
            for edge in graph.dependencies(of: d.name) {
                #expect(graph.dependents(of: edge.name).contains { $0.name == d.normalizedName })
            }
        }
        let total = names.reduce(0) { $0 + graph.dependents(of: $1).count }
        #expect(total == names.reduce(0) { $0 + graph.dependencies(of: $1).count })
        #expect(total > 100)
    }
}
