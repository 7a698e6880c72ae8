import Foundation

/// Finds the package index without naming any index host in Trawl's code: the index the user's pip
/// uses (`PIP_INDEX_URL`, then `pip config get global.index-url`, then pip's built-in default as
/// the installed pip reports it). This also makes private mirrors work with no extra setting.
public enum PyPIIndexResolver {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "cannot find the Python package index: set TRAWL_PYPI_URL (e.g. to your mirror's base URL), "
                + "or install pip (python3 -m pip) so Trawl can use the index pip is configured for"
        }
    }

    /// Resolves the base URL (no trailing `/simple`, no trailing `/`).
    public static func resolve(environment: [String: String], run: (String, [String]) -> String? = runCommand) throws -> String {
        if let explicit = environment["TRAWL_PYPI_URL"], !explicit.isEmpty { return normalize(explicit) }
        if let pipIndex = environment["PIP_INDEX_URL"], !pipIndex.isEmpty { return normalize(pipIndex) }
        if let configured = run("pip", ["config", "get", "global.index-url"]) ?? run("python3", ["-m", "pip", "config", "get", "global.index-url"]),
            configured.hasPrefix("http")
        {
            return normalize(configured)
        }
        if let builtin = run("python3", ["-c", "from pip._internal.models.index import PyPI; print(PyPI.url)"]),
            builtin.hasPrefix("http")
        {
            return normalize(builtin)
        }
        throw NotFound()
    }

    /// Strips whitespace, trailing slashes and a trailing `/simple`. A devpi index's `…/+simple`
    /// is kept: its simple index is not at `{base}/simple/` (see `locate`).
    public static func normalize(_ url: String) -> String {
        var base = url.trimmingCharacters(in: .whitespacesAndNewlines)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/simple"), !base.hasSuffix("/+simple") { base.removeLast("/simple".count) }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Where an index's parts are, from its configured URL (as `normalize` leaves it): the base of
    /// the project JSON (`{base}/pypi/{name}/json`, and RSS, XML-RPC) and the simple index (with a
    /// trailing slash). An index at `…/simple` (the public index, bandersnatch, most proxies) has
    /// both under one base; a devpi index `…/root/pypi/+simple` has its simple index there and no
    /// index-compatible JSON (a crawl then stops saying so: `PyPIError.noJSONAPI`).
    public static func locate(_ configured: String) -> (base: String, simple: String) {
        let url = normalize(configured)
        if url.hasSuffix("/+simple") {
            return (String(url.dropLast("/+simple".count)), url + "/")
        }
        return (url, url + "/simple/")
    }

    /// Runs a program found on PATH; its trimmed standard output when it exits 0.
    public static func runCommand(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
