import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// Real clients against `trawl serve`: the Python typesense client, schemathesis over
/// /openapi.yaml, and headless Chromium (screenshots into .build/screenshots, git-ignored).
@Suite(.serialized) struct ExternalClientTests {
    @Test func pythonTypesenseClient() async throws {
        guard await Subprocess.pythonHas("typesense"), let python = Python.executable else {
            return Subprocess.missing("the test Python with the typesense client (pip install typesense)")
        }
        let server = try await ServeProcess.start()
        let script = Subprocess.repositoryRoot.appendingPathComponent("Tests/Scripts/typesense_client_check.py").path
        let result = try await Subprocess.run(python, [script, String(server.port), ServerHarness.adminKey])
        _ = await server.stop()
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func schemathesisAgainstOpenAPI() async throws {
        guard await Subprocess.pythonHas("schemathesis"), let python = Python.executable else {
            return Subprocess.missing("schemathesis (pip install schemathesis)")
        }
        let server = try await ServeProcess.start()
        let result = try await Subprocess.run(python, [
            "-m", "schemathesis.cli", "run", "\(server.baseURL)/openapi.yaml", "--url", server.baseURL,
            "--max-examples", "15", "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--request-timeout", "10",
        ], environment: ["SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"])
        _ = await server.stop()
        #expect(result.status == 0, "\(result.output.suffix(4000))")
    }

    @Test func chromiumScreenshotsAndNoInjectedScript() async throws {
        guard let chromium = Subprocess.which("chromium") ?? Subprocess.which("chromium-browser"), let python = Python.executable else {
            return Subprocess.missing("chromium (apt-get install chromium)")
        }
        let server = try await ServeProcess.start()
        let output = Subprocess.repositoryRoot.appendingPathComponent(".build/screenshots").path
        let script = Subprocess.repositoryRoot.appendingPathComponent("Tests/Scripts/screenshots.py").path
        let result = try await Subprocess.run(python, [script, chromium, server.baseURL, output])
        _ = await server.stop()
        #expect(result.status == 0, "\(result.output.suffix(4000))")
    }

    @Test func serveStopsGracefullyOnSIGTERM() async throws {
        let server = try await ServeProcess.start()
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(server.baseURL)/healthz"), timeout: TestTimeouts.clientRequest)
        #expect(response.status.code == 200)
        let status = await server.stop()
        #expect(status == 0, "SIGTERM ends serve cleanly")
    }

    @Test func serveGeneratesAndPrintsAnAdminKeyWithoutTRAWL_ADMIN_KEY() async throws {
        let server = try await ServeProcess.start(environment: ["TRAWL_ADMIN_KEY": ""])
        let line = server.stdout.split(separator: "\n").first { $0.contains("Generated admin API key") } ?? ""
        let key = String(line.split(separator: " ").last ?? "")
        #expect(key.count >= 32, "\(server.stdout)")
        var request = HTTPClientRequest(url: "\(server.baseURL)/keys")
        request.headers.add(name: "X-TYPESENSE-API-KEY", value: key)
        let response = try await HTTPClient.shared.execute(request, timeout: TestTimeouts.clientRequest)
        #expect(response.status.code == 200, "the printed key is the admin key")
        #expect(await server.stop() == 0)
    }
}
