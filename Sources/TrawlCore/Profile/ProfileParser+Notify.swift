import Foundation
import Yams

/// `notify:` — a list of `{url, events, secret_env}` webhook receivers.
extension ProfileParser {
    static let notifyFields = ["url", "events", "secret_env"]

    func parseNotify(_ node: Node?, ctx: inout Context) -> [NotifyTarget] {
        guard let node else { return [] }
        let shape = "a list of {url: https://…, events: [\(NotifyEventKind.allCases.map(\.rawValue).joined(separator: ", "))], secret_env: VARIABLE}"
        guard let items = node.sequence else {
            ctx.fail(node.line, "'notify' must be \(shape), found \(Self.describe(node))")
            return []
        }
        var targets: [NotifyTarget] = []
        var receivers: [String: Int] = [:]
        for item in items {
            guard let map = item.mapping else {
                ctx.fail(item.line, "each entry of 'notify' must be a mapping with url, events and secret_env, found \(Self.describe(item))")
                continue
            }
            var fields: [String: (key: Node, value: Node)] = [:]
            for (k, v) in map {
                let name = k.scalar?.string ?? ""
                guard Self.notifyFields.contains(name) else {
                    ctx.fail(k.line, "unknown field '\(name)' in a notify entry; allowed fields: \(Self.notifyFields.joined(separator: ", "))")
                    continue
                }
                fields[name] = (k, v)
            }
            let url = notifyURL(fields["url"]?.value, entryLine: item.line, ctx: &ctx)
            let events = notifyEvents(fields["events"]?.value, ctx: &ctx)
            let secretEnv = notifySecretEnv(fields["secret_env"]?.value, entryLine: item.line, ctx: &ctx)
            guard let url, let events, let secretEnv else { continue }
            let target = NotifyTarget(url: url, events: events, secretEnv: secretEnv, line: item.line ?? 0)
            // Queued deliveries find their receiver again by URL, so one URL is one receiver.
            if let first = receivers[target.receiver] {
                ctx.fail(item.line, "notify receiver \(target.receiver) is listed twice (first at line \(first))")
                continue
            }
            receivers[target.receiver] = item.line ?? 0
            targets.append(target)
        }
        return targets
    }

    /// An absolute http(s) URL with a host. Shown without any credentials it was written with.
    private func notifyURL(_ node: Node?, entryLine: Int?, ctx: inout Context) -> String? {
        guard let node else {
            ctx.fail(entryLine, "notify entry has no 'url' (the receiver's http:// or https:// address)")
            return nil
        }
        guard let scalar = node.scalar, scalar.tagName == .str || scalar.style != .plain else {
            ctx.fail(node.line, "notify 'url' must be a string, found \(Self.describe(node))")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            ctx.fail(node.line, "notify 'url' must be an absolute http:// or https:// URL with a host, found '\(URLCredentials.redacted(text))'")
            return nil
        }
        return text
    }

    /// A non-empty list of known event names; absent means every event.
    private func notifyEvents(_ node: Node?, ctx: inout Context) -> [NotifyEventKind]? {
        let allowed = NotifyEventKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let node else { return NotifyEventKind.allCases }
        guard let items = node.sequence else {
            ctx.fail(node.line, "notify 'events' must be a list of event names (\(allowed)), found \(Self.describe(node))")
            return nil
        }
        if items.isEmpty {
            ctx.fail(node.line, "notify 'events' must not be empty; allowed events: \(allowed)")
            return nil
        }
        var events: [NotifyEventKind] = []
        var ok = true
        for item in items {
            guard let name = item.scalar?.string, let kind = NotifyEventKind(rawValue: name) else {
                let found = item.scalar.map { "'\($0.string)'" } ?? Self.describe(item)
                ctx.fail(item.line, "unknown notify event \(found); allowed events: \(allowed)")
                ok = false
                continue
            }
            if !events.contains(kind) { events.append(kind) }
        }
        return ok ? events.sorted() : nil
    }

    /// The name of an environment variable. The value is never echoed in an error: a user who wrote
    /// the secret itself here must not find it in a CI log.
    private func notifySecretEnv(_ node: Node?, entryLine: Int?, ctx: inout Context) -> String? {
        guard let node else {
            ctx.fail(entryLine, "notify entry has no 'secret_env' (the name of the environment variable holding the HMAC secret; the secret is never written in a profile)")
            return nil
        }
        guard let name = node.scalar?.string, node.scalar?.tagName == .str || node.scalar?.style != .plain, Self.isEnvironmentName(name) else {
            ctx.fail(node.line, "notify 'secret_env' must name an environment variable (letters, digits and '_', not starting with a digit), not hold the secret itself")
            return nil
        }
        return name
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
