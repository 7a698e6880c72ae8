import Foundation
import Yams

/// Turns one profile file into a `Profile`, collecting every problem with its line instead of
/// stopping at the first, so one `validate` run shows the whole list.
public struct ProfileParser: Sendable {
    public static let topLevelFields = ["key", "name", "description", "sources", "enrichers", "categories", "types", "schedule", "notify"]
    /// `[a-z0-9-]+`, not starting with `-`: the key names collections and URLs.
    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first != "-" else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    public let registry: PluginRegistry

    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    /// Parses `contents`; returns the profile when there were no issues.
    public func parse(contents: String, path: String, layer: ProfileLayer) -> (profile: Profile?, issues: [ProfileIssue]) {
        var ctx = Context(file: path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: contents) else {
                ctx.fail(1, "the file is empty; a profile needs at least `key`, `name` and `sources`")
                return (nil, ctx.issues)
            }
            root = node
        } catch let error as YamlError {
            ctx.fail(Self.line(of: error), "invalid YAML: \(Self.problem(of: error))")
            return (nil, ctx.issues)
        } catch {
            ctx.fail(1, "invalid YAML: \(error)")
            return (nil, ctx.issues)
        }
        guard let mapping = root.mapping else {
            ctx.fail(root.line, "a profile must be a mapping of fields (\(Self.topLevelFields.joined(separator: ", "))), found \(Self.describe(root))")
            return (nil, ctx.issues)
        }

        var fields: [String: Node] = [:]
        for (k, v) in mapping {
            guard let name = k.scalar?.string else {
                ctx.fail(k.line, "field names must be plain strings")
                continue
            }
            guard Self.topLevelFields.contains(name) else {
                ctx.fail(k.line, "unknown field '\(name)'; allowed fields: \(Self.topLevelFields.joined(separator: ", "))")
                continue
            }
            fields[name] = v
        }

        let key = requiredString("key", in: fields, mapping: root, ctx: &ctx)
        if let key, !Self.isValidKey(key) {
            ctx.fail(fields["key"]?.line, "key '\(key)' may only contain lowercase letters, digits and '-' (pattern [a-z0-9-]+, not starting with '-')")
        }
        let name = requiredString("name", in: fields, mapping: root, ctx: &ctx)
        let description = fields["description"].flatMap { optionalString($0, field: "description", ctx: &ctx) } ?? ""

        let sources = parsePlugins(fields["sources"], field: "sources", required: true, root: root, ctx: &ctx)
        let enrichers: [PluginSpec]
        if fields["enrichers"] != nil {
            enrichers = parsePlugins(fields["enrichers"], field: "enrichers", required: false, root: root, ctx: &ctx)
        } else {
            enrichers = PluginRegistry.defaultEnrichers.map { PluginSpec(kind: $0) }
        }
        let categories = parseCategories(fields["categories"], field: "categories", ctx: &ctx)
        let types = parseCategories(fields["types"], field: "types", ctx: &ctx)
        let schedule = parseSchedule(fields["schedule"], ctx: &ctx)
        let notify = parseNotify(fields["notify"], ctx: &ctx)

        guard ctx.issues.isEmpty, let key, let name else { return (nil, ctx.issues) }
        let profile = Profile(
            key: key, name: name, description: description, sources: sources, enrichers: enrichers,
            categories: categories, types: types, schedule: schedule, notify: notify,
            origin: ProfileOrigin(path: path, layer: layer))
        return (profile, [])
    }

    // MARK: - Fields

    private func requiredString(_ field: String, in fields: [String: Node], mapping: Node, ctx: inout Context) -> String? {
        guard let node = fields[field] else {
            ctx.fail(mapping.line, "missing required field '\(field)'")
            return nil
        }
        guard let value = optionalString(node, field: field, ctx: &ctx) else { return nil }
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            ctx.fail(node.line, "'\(field)' must not be empty")
            return nil
        }
        return value
    }

    private func optionalString(_ node: Node, field: String, ctx: inout Context) -> String? {
        guard let scalar = node.scalar, scalar.tagName == .str || scalar.style != .plain else {
            ctx.fail(node.line, "'\(field)' must be a string, found \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    private func parsePlugins(_ node: Node?, field: String, required: Bool, root: Node, ctx: inout Context) -> [PluginSpec] {
        let isSource = field == "sources"
        let known = isSource ? registry.sourceKinds : registry.enricherKinds
        guard let node else {
            if required { ctx.fail(root.line, "missing required field '\(field)'; allowed kinds: \(known.joined(separator: ", "))") }
            return []
        }
        guard let items = node.sequence else {
            ctx.fail(node.line, "'\(field)' must be a list, found \(Self.describe(node))")
            return []
        }
        if items.isEmpty && required {
            ctx.fail(node.line, "'\(field)' is empty; a profile needs at least one source (allowed kinds: \(known.joined(separator: ", ")))")
        }
        var specs: [PluginSpec] = []
        var seenEnrichers: Set<String> = []
        for item in items {
            var kindNode: Node?
            var optionNodes: [(String, Node, Node)] = []
            if let scalar = item.scalar, !isSource {
                kindNode = .scalar(scalar)  // enrichers may be a bare kind name
            } else if let map = item.mapping {
                for (k, v) in map {
                    guard let name = k.scalar?.string else {
                        ctx.fail(k.line, "option names must be plain strings")
                        continue
                    }
                    if name == "kind" { kindNode = v } else { optionNodes.append((name, k, v)) }
                }
            } else {
                let shape = isSource ? "a mapping with `kind:` and its options" : "a kind name or a mapping with `kind:`"
                ctx.fail(item.line, "each entry of '\(field)' must be \(shape), found \(Self.describe(item))")
                continue
            }
            guard let kindNode, let kind = kindNode.scalar?.string else {
                ctx.fail(item.line, "entry of '\(field)' has no `kind`; allowed kinds: \(known.joined(separator: ", "))")
                continue
            }
            guard let descriptor = isSource ? registry.sourceDescriptor(kind) : registry.enricherDescriptor(kind) else {
                let what = isSource ? "source" : "enricher"
                ctx.fail(kindNode.line, "unknown \(what) kind '\(kind)'; allowed kinds: \(known.joined(separator: ", "))")
                continue
            }
            if !isSource {
                if seenEnrichers.contains(kind) { ctx.fail(kindNode.line, "enricher '\(kind)' is listed twice") }
                seenEnrichers.insert(kind)
            }
            let options = parseOptions(optionNodes, descriptor: descriptor, entryLine: item.line, ctx: &ctx)
            specs.append(PluginSpec(kind: kind, options: options, line: item.line ?? 0))
        }
        return specs
    }

    private func parseOptions(_ nodes: [(String, Node, Node)], descriptor: PluginDescriptor, entryLine: Int?, ctx: inout Context) -> PluginOptions {
        var values: [String: OptionValue] = [:]
        let allowedNames = descriptor.options.map(\.name)
        for (name, keyNode, valueNode) in nodes {
            guard let spec = descriptor.options.first(where: { $0.name == name }) else {
                let allowed = allowedNames.isEmpty ? "it takes no options" : "allowed options: \(allowedNames.joined(separator: ", "))"
                ctx.fail(keyNode.line, "unknown option '\(name)' for kind '\(descriptor.kind)'; \(allowed)")
                continue
            }
            if let value = typedValue(valueNode, spec: spec, kind: descriptor.kind, ctx: &ctx) {
                values[name] = value
            }
        }
        for spec in descriptor.options where spec.required && values[spec.name] == nil
            && !nodes.contains(where: { $0.0 == spec.name }) {
            ctx.fail(entryLine, "kind '\(descriptor.kind)' requires option '\(spec.name)' (\(spec.type.rawValue))\(spec.help.isEmpty ? "" : ": \(spec.help)")")
        }
        return PluginOptions(values)
    }

    private func typedValue(_ node: Node, spec: OptionSpec, kind: String, ctx: inout Context) -> OptionValue? {
        let label = "option '\(spec.name)' of kind '\(kind)'"
        func checkItem(_ s: String, line: Int?) -> Bool {
            if let allowed = spec.allowedValues, !allowed.contains(s) {
                ctx.fail(line, "\(label): '\(s)' is not allowed; allowed values: \(allowed.joined(separator: ", "))")
                return false
            }
            if let problem = spec.check?(s) {
                ctx.fail(line, "\(label): \(problem)")
                return false
            }
            return true
        }
        switch spec.type {
        case .string:
            guard let scalar = node.scalar, scalar.tagName == .str || scalar.style != .plain else {
                ctx.fail(node.line, "\(label) must be a string, found \(Self.describe(node))")
                return nil
            }
            return checkItem(scalar.string, line: node.line) ? .string(scalar.string) : nil
        case .bool:
            guard let scalar = node.scalar, scalar.tagName == .bool, let b = node.bool else {
                ctx.fail(node.line, "\(label) must be true or false, found \(Self.describe(node))")
                return nil
            }
            return .bool(b)
        case .int:
            guard let scalar = node.scalar, scalar.tagName == .int, let i = node.int else {
                ctx.fail(node.line, "\(label) must be an integer, found \(Self.describe(node))")
                return nil
            }
            return .int(i)
        case .stringList:
            guard let items = node.sequence else {
                ctx.fail(node.line, "\(label) must be a list of strings, found \(Self.describe(node))")
                return nil
            }
            var list: [String] = []
            var ok = true
            for item in items {
                guard let scalar = item.scalar, scalar.tagName == .str || scalar.style != .plain else {
                    ctx.fail(item.line, "\(label) must be a list of strings, found an item that is \(Self.describe(item))")
                    ok = false
                    continue
                }
                ok = checkItem(scalar.string, line: item.line) && ok
                list.append(scalar.string)
            }
            if list.isEmpty && spec.required {
                ctx.fail(node.line, "\(label) must not be empty")
                ok = false
            }
            return ok ? .strings(list) : nil
        }
    }

    private func parseCategories(_ node: Node?, field: String, ctx: inout Context) -> [String: CategoryRule] {
        guard let node else { return [:] }
        guard let map = node.mapping else {
            ctx.fail(node.line, "'\(field)' must be a mapping of name → {topics: [...], keywords: [...]}, found \(Self.describe(node))")
            return [:]
        }
        var result: [String: CategoryRule] = [:]
        for (k, v) in map {
            guard let name = k.scalar?.string else { continue }
            guard let ruleMap = v.mapping else {
                ctx.fail(v.line, "\(field) '\(name)' must be a mapping with topics and/or keywords, found \(Self.describe(v))")
                continue
            }
            var rule = CategoryRule()
            for (rk, rv) in ruleMap {
                let ruleField = rk.scalar?.string ?? ""
                let spec = OptionSpec(ruleField, .stringList)
                switch ruleField {
                case "topics", "keywords":
                    if case .strings(let list)? = typedValue(rv, spec: spec, kind: "\(field).\(name)", ctx: &ctx) {
                        if ruleField == "topics" { rule.topics = list } else { rule.keywords = list }
                    }
                default:
                    ctx.fail(rk.line, "unknown field '\(ruleField)' in \(field) '\(name)'; allowed fields: topics, keywords")
                }
            }
            result[name] = rule
        }
        return result
    }

    private func parseSchedule(_ node: Node?, ctx: inout Context) -> ProfileSchedule {
        var schedule = ProfileSchedule.defaults
        guard let node else { return schedule }
        guard let map = node.mapping else {
            ctx.fail(node.line, "'schedule' must be a mapping with \(ProfileSchedule.fieldNames.joined(separator: ", ")), found \(Self.describe(node))")
            return schedule
        }
        for (k, v) in map {
            let field = k.scalar?.string ?? ""
            guard ProfileSchedule.fieldNames.contains(field) else {
                ctx.fail(k.line, "unknown schedule '\(field)'; allowed: \(ProfileSchedule.fieldNames.joined(separator: ", "))")
                continue
            }
            guard let spec = v.scalar?.string, v.scalar?.tagName == .str || v.scalar?.style != .plain || v.scalar?.tagName == .null else {
                ctx.fail(v.line, "schedule '\(field)' must be a cron string such as \"0 2 * * 0\" (or \"\" to disable), found \(Self.describe(v))")
                continue
            }
            var cron: CronSchedule?
            if !spec.trimmingCharacters(in: .whitespaces).isEmpty && v.scalar?.tagName != .null {
                do {
                    cron = try CronSchedule(parsing: spec)
                } catch {
                    ctx.fail(v.line, "schedule '\(field)': bad cron spec \"\(spec)\": \(error.message)")
                    continue
                }
            }
            schedule[field: field] = cron
        }
        return schedule
    }

    // MARK: - Helpers

    struct Context {
        let file: String
        var issues: [ProfileIssue] = []
        mutating func fail(_ line: Int?, _ message: String) {
            issues.append(ProfileIssue(file: file, line: line, message: message))
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            switch s.tagName {
            case .bool: return "a boolean (\(s.string))"
            case .int: return "an integer (\(s.string))"
            case .float: return "a number (\(s.string))"
            case .null: return "nothing (null)"
            default: return "the string '\(s.string)'"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(let keys, let context):
            // Point at the repeat, not at the first occurrence the YAML library reports.
            return duplicateLines(of: keys.first ?? "", column: context.mark.column, in: context.text).last ?? context.mark.line
        case .reader(_, let offset, _, let yaml):
            guard let offset else { return nil }
            return yaml.utf8.prefix(offset).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        default:
            return nil
        }
    }

    /// Lines where `key:` starts at `column` (1-based).
    static func duplicateLines(of key: String, column: Int, in text: String) -> [Int] {
        var lines: [Int] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let body = line.dropFirst(max(0, column - 1))
            let indent = line.prefix(max(0, column - 1))
            if indent.allSatisfy({ $0 == " " || $0 == "-" }), body.hasPrefix(key + ":") { lines.append(i + 1) }
        }
        return lines
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            // libyaml gives two places: where the construct being read began (the context mark, e.g.
            // the `[` of an unclosed flow sequence) and where the parser stopped; name both.
            let stopped = "\(problem) at line \(mark.line), column \(mark.column)"
            guard let context, !context.text.isEmpty else { return stopped }
            return "\(context.text) that began at line \(context.mark.line), column \(context.mark.column): \(stopped)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let lines = duplicateLines(of: duplicates.first ?? "", column: context.mark.column, in: context.text)
            let whereText = lines.count > 1 ? " (lines \(lines.map(String.init).joined(separator: " and ")))" : ""
            return "duplicate field \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping\(whereText)"
        case .reader(let problem, _, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

extension Node {
    var line: Int? { mark?.line }
}

extension Node.Scalar {
    /// The resolved YAML tag (`str`, `int`, `bool`, …): how the value was written, so `official: "yes"`
    /// (a string) and `official: true` (a boolean) are told apart.
    var tagName: Tag.Name { Resolver.default.resolveTag(of: Node.scalar(self)) }
}
