import Testing
@testable import TrawlServer

@Suite struct SafeMarkdownTests {
    @Test func rendersTheSafeSubset() {
        let html = SafeMarkdown.markdown("""
            # Title
            Some *emphasis*, **strong**, `code <b>` and a [link](https://example.org/a?b=1&c=2).

            - one
            - two

            1. first
            2. second

            > quoted

            ```python
            print("<hi>")
            ```
            """)
        #expect(html.contains("<h3>Title</h3>"))
        #expect(html.contains("<em>emphasis</em>"))
        #expect(html.contains("<strong>strong</strong>"))
        #expect(html.contains("<code>code &lt;b&gt;</code>"))
        #expect(html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">link</a>"))
        #expect(html.contains("<ul><li>one</li><li>two</li></ul>"))
        #expect(html.contains("<ol><li>first</li><li>second</li></ol>"))
        #expect(html.contains("<blockquote><p>quoted</p></blockquote>"))
        #expect(html.contains("<pre><code>print(&quot;&lt;hi&gt;&quot;)</code></pre>"))
    }

    @Test func neutralisesEveryInjection() {
        let attacks = [
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x]( JaVaScRiPt:alert(1))",
            "![x](javascript:alert(1))", "![x\" onerror=\"alert(1)](https://e.org/i.png)", "[x](https://e.org/\" onclick=\"alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>", "<svg onload=alert(1)>", "[x](data:text/html,<script>alert(1)</script>)",
            "<iframe src=https://e.org>", "**<script>**", "`</code><script>`", "<!-- --><script>x</script>",
        ]
        for attack in attacks {
            let html = SafeMarkdown.render(attack, contentType: "text/markdown")
            #expect(!html.contains("<script"), "\(attack) → \(html)")
            #expect(!html.contains("<img src=x"), "\(attack) → \(html)")
            #expect(!html.contains("<svg"), "\(attack) → \(html)")
            #expect(!html.contains("<iframe"), "\(attack) → \(html)")
            #expect(!html.contains("href=\"javascript") && !html.contains("href=\" JaVaScRiPt") && !html.contains("src=\"javascript"), "\(attack) → \(html)")
            #expect(!html.contains("\" onerror=\"") && !html.contains("\" onclick=\""), "\(attack) → \(html)")
            #expect(!html.contains("href=\"data:"), "\(attack) → \(html)")
            let plain = SafeMarkdown.render(attack, contentType: "text/x-rst")
            #expect(!plain.contains("<script") && !plain.contains("<img") && !plain.contains("<svg"), "\(attack) → \(plain)")
        }
    }

    @Test func snakeCaseIsNotEmphasis() {
        #expect(SafeMarkdown.inline("use my_package_name here") == "use my_package_name here")
    }
}

@Suite struct SafeMarkdownBadgeTests {
    @Test func badgesInsideLinksShowTheImage() {
        let html = SafeMarkdown.markdown("[![Build](https://e.invalid/badge.svg)](https://e.invalid/ci) [![x](javascript:alert(1))](https://e.invalid/)")
        #expect(html.contains(#"<a href="https://e.invalid/ci" rel="nofollow noopener noreferrer"><img src="https://e.invalid/badge.svg" alt="Build" loading="lazy"></a>"#), "\(html)")
        #expect(!html.contains("![") && !html.contains("javascript"), "\(html)")
        #expect(html.contains(#"<a href="https://e.invalid/" rel="nofollow noopener noreferrer">x</a>"#), "\(html)")
    }

    @Test func commentsAreStrippedInOnePass() {
        #expect(SafeMarkdown.stripComments("a<!-- b -->c<!-- d -->e<!-- open") == "ace")
        #expect(SafeMarkdown.stripComments("no comments") == "no comments")
    }

    @Test func longFencedBlocksAndListsStayLinear() {
        let code = "```\n" + String(repeating: "line\n", count: 100_000) + "```"
        var work = 0
        let html = SafeMarkdown.render(code, contentType: "text/markdown", work: &work)
        #expect(html.hasPrefix("<pre><code>line\nline"))
        #expect(work < code.unicodeScalars.count * 4)
    }
}
