import Foundation
import Testing
@testable import TrawlCore
import TrawlPyPI

/// `notify:` in a profile: the receivers it lists, and every malformed entry reported at its line.
@Suite struct NotifyProfileTests {
    let parser: ProfileParser = {
        var registry = PluginRegistry()
        registry.registerPyPI()
        return ProfileParser(registry: registry)
    }()

    static let head = """
        key: hooks
        name: Hooks
        sources:
          - kind: pypi-classifiers
            classifiers: ["Framework :: Plone"]

        """

    func parse(_ notify: String) -> (profile: Profile?, issues: [ProfileIssue]) {
        parser.parse(contents: Self.head + notify, path: "hooks.yaml", layer: .dropIn)
    }

    /// The one issue a file gives, which must name the file and `line`.
    func expectIssue(_ notify: String, line: Int, contains fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let issues = parse(notify).issues
        #expect(issues.count == 1, "\(issues)", sourceLocation: sourceLocation)
        guard let issue = issues.first else { return }
        #expect(issue.message.contains(fragment), "\(issue)", sourceLocation: sourceLocation)
        #expect(issue.description.hasPrefix("hooks.yaml:\(line): "), "\(issue)", sourceLocation: sourceLocation)
    }

    @Test func receiversAreParsedWithTheirEventsAndSecretVariable() throws {
        let (profile, issues) = parse("""
            notify:
              - url: https://hooks.example/trawl
                events: [release, new]
                secret_env: HOOK_SECRET
              - url: "https://user:pa55@other.example/in"
                events: [release]
                secret_env: OTHER_SECRET
              - url: http://127.0.0.1:9/all
                secret_env: ALL_SECRET
            """)
        #expect(issues.isEmpty, "\(issues)")
        let notify = try #require(profile?.notify)
        #expect(notify.count == 3)
        #expect(notify[0] == NotifyTarget(url: "https://hooks.example/trawl", events: [.new, .release], secretEnv: "HOOK_SECRET", line: 7))
        #expect(notify[1].events == [.release])
        #expect(notify[1].receiver == "https://other.example/in", "credentials are not part of the receiver")
        #expect(notify[1].authorization?.value == "Basic " + Data("user:pa55".utf8).base64EncodedString())
        #expect(notify[2].events == [.new, .release], "without `events`, every event")
    }

    @Test func aProfileWithoutNotifyHasNoReceivers() throws {
        let (profile, issues) = parse("")
        #expect(issues.isEmpty)
        #expect(profile?.notify == [])
    }

    @Test func missingURL() {
        expectIssue("""
            notify:
              - events: [new]
                secret_env: HOOK_SECRET
            """, line: 7, contains: "notify entry has no 'url'")
    }

    @Test func nonHTTPURL() {
        expectIssue("""
            notify:
              - url: ftp://hooks.example/in
                secret_env: HOOK_SECRET
            """, line: 7, contains: "must be an absolute http:// or https:// URL")
        expectIssue("""
            notify:
              - secret_env: HOOK_SECRET
                url: /relative/path
            """, line: 8, contains: "must be an absolute http:// or https:// URL")
    }

    @Test func aBadURLIsShownWithoutItsCredentials() {
        let issues = parse("""
            notify:
              - url: "ftp://user:topsecret@hooks.example/in"
                secret_env: HOOK_SECRET
            """).issues
        #expect(issues.count == 1)
        #expect(!issues.description.contains("topsecret"), "\(issues)")
    }

    @Test func unknownEvent() {
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                events:
                  - new
                  - deleted
                secret_env: HOOK_SECRET
            """, line: 10, contains: "unknown notify event 'deleted'; allowed events: new, release")
    }

    @Test func emptyOrMisshapenEvents() {
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                events: []
                secret_env: HOOK_SECRET
            """, line: 8, contains: "must not be empty")
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                events: new
                secret_env: HOOK_SECRET
            """, line: 8, contains: "must be a list of event names")
    }

    @Test func missingSecretVariable() {
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                events: [new]
            """, line: 7, contains: "notify entry has no 'secret_env'")
    }

    @Test func aSecretWrittenInPlaceOfItsVariableIsRefusedWithoutEchoingIt() {
        let issues = parse("""
            notify:
              - url: https://hooks.example/in
                secret_env: "s3cr3t-value/with+symbols"
            """).issues
        #expect(issues.count == 1)
        #expect(issues.first?.line == 8)
        #expect(issues.first?.message.contains("must name an environment variable") == true)
        #expect(!issues.description.contains("s3cr3t"), "\(issues)")
    }

    @Test func unknownFieldAndWrongShapes() {
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                secret_env: HOOK_SECRET
                secret: abc
            """, line: 9, contains: "unknown field 'secret' in a notify entry; allowed fields: url, events, secret_env")
        expectIssue("notify: https://hooks.example/in\n", line: 6, contains: "'notify' must be a list")
        expectIssue("notify:\n  - https://hooks.example/in\n", line: 7, contains: "must be a mapping with url, events and secret_env")
    }

    @Test func oneURLIsOneReceiver() {
        expectIssue("""
            notify:
              - url: https://hooks.example/in
                secret_env: A
              - url: https://user:pw@hooks.example/in
                secret_env: B
            """, line: 9, contains: "listed twice (first at line 7)")
    }

    @Test func everyBadEntryIsReportedAtOnce() {
        let issues = parse("""
            notify:
              - events: [new]
                secret_env: A
              - url: https://hooks.example/in
                events: [gone]
              - url: mailto:someone@example.org
                secret_env: C
            """).issues
        #expect(issues.map(\.line) == [7, 10, 9, 11], "\(issues)")
    }
}
