/// Who requires whom inside one collection, from the stored `requires_dist` alone (no request to
/// any upstream). Requirements naming packages outside the collection are ignored: "used by" means
/// "used by packages of this ecosystem". Built from a whole collection's documents, so it is as
/// current as the documents it was built from (the search index rebuilds it per revision).
public struct DependencyGraph: Sendable {
    public struct Edge: Sendable, Equatable, Encodable {
        /// The other package (normalized name).
        public var name: String
        /// nil: always; else why the requirement is conditional.
        public var condition: RequirementLine.Condition?
    }

    /// Package → the packages of the collection that require it, sorted by name.
    public private(set) var dependents: [String: [Edge]] = [:]
    /// Package → the packages of the collection it requires, sorted by name.
    public private(set) var dependencies: [String: [Edge]] = [:]

    public init(_ documents: some Sequence<PackageDocument>) {
        var requires: [String: [RequirementLine]] = [:]
        var members: Set<String> = []
        for document in documents {
            members.insert(document.normalizedName)
            requires[document.normalizedName] = document.requiresDist.compactMap(RequirementLine.parse)
        }
        for (package, lines) in requires {
            // One edge per required package: an unconditional line wins over conditional ones.
            var strongest: [String: RequirementLine.Condition?] = [:]
            for line in lines where line.name != package && members.contains(line.name) {
                if let existing = strongest[line.name], existing == nil { continue }
                strongest[line.name] = line.condition
            }
            for (name, condition) in strongest {
                dependencies[package, default: []].append(Edge(name: name, condition: condition))
                dependents[name, default: []].append(Edge(name: package, condition: condition))
            }
        }
        for key in dependents.keys { dependents[key]!.sort { $0.name < $1.name } }
        for key in dependencies.keys { dependencies[key]!.sort { $0.name < $1.name } }
    }

    public func dependents(of name: String) -> [Edge] { dependents[PackageName.normalize(name)] ?? [] }
    public func dependencies(of name: String) -> [Edge] { dependencies[PackageName.normalize(name)] ?? [] }
}
