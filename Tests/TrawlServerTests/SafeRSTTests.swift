import Testing
@testable import TrawlServer

/// reStructuredText descriptions shaped like real Plone and Django READMEs, the dispatch by content
/// type, hostile input, and linear work on pathological input.
@Suite struct SafeRSTTests {
    /// The shape of a Plone add-on's README (badges, sections, lists, literal blocks, targets).
    static let ploneReadme = """
        .. This README is meant for consumption by humans and PyPI.

        .. image:: https://github.com/collective/collective.example/actions/workflows/ci.yml/badge.svg
            :target: https://github.com/collective/collective.example/actions/workflows/ci.yml
            :alt: CI

        .. image:: https://img.shields.io/pypi/v/collective.example.svg
            :target: https://pypi.invalid/project/collective.example/
            :alt: Latest Version

        ====================
        collective.example
        ====================

        Tell me what your product does, with *emphasis*, **strong words** and ``inline literals``.

        Features
        --------

        - Can be bullet points
        - Spans two lines
          when it must

        Installation
        ------------

        Install collective.example by adding it to your buildout::

            [buildout]

            eggs =
                collective.example <3

        and then running ``bin/buildout``.

        #. First step
        #. Second step

        Contribute
        ----------

        - Issue Tracker: https://github.com/collective/collective.example/issues
        - Source Code: `GitHub <https://github.com/collective/collective.example>`_
        - Documentation: see `the docs`_ and Plone_.

        .. _the docs: https://docs.example.invalid/collective.example
        .. _Plone: https://plone.org

        Changelog
        =========

        1.0 (2024-01-01)
        ~~~~~~~~~~~~~~~~

        - Initial release.
          [jdoe]
        """

    @Test func rendersAPloneReadme() {
        let html = SafeMarkdown.render(Self.ploneReadme, contentType: "text/x-rst")
        #expect(!html.contains("This README is meant"), "comments are dropped")
        #expect(html.contains(#"<a href="https://github.com/collective/collective.example/actions/workflows/ci.yml" rel="nofollow noopener noreferrer"><img src="https://github.com/collective/collective.example/actions/workflows/ci.yml/badge.svg" alt="CI" loading="lazy"></a>"#), "\(html)")
        #expect(html.contains(#"alt="Latest Version""#))
        #expect(html.contains("<h3>collective.example</h3>"))
        #expect(html.contains("<h4>Features</h4>") && html.contains("<h4>Installation</h4>") && html.contains("<h4>Contribute</h4>"))
        #expect(html.contains("<h3>Changelog</h3>") == false, "a new adornment style is a new level")
        #expect(html.contains("<h5>Changelog</h5>") || html.contains("<h4>Changelog</h4>"), "\(html)")
        #expect(html.contains("<em>emphasis</em>") && html.contains("<strong>strong words</strong>") && html.contains("<code>inline literals</code>"))
        #expect(html.contains("<ul><li>Can be bullet points</li><li>Spans two lines\nwhen it must</li></ul>"), "\(html)")
        #expect(html.contains("<p>Install collective.example by adding it to your buildout:</p>"))
        #expect(html.contains("<pre><code>[buildout]\n\neggs =\n    collective.example &lt;3</code></pre>"), "\(html)")
        #expect(html.contains("<ol><li>First step</li><li>Second step</li></ol>"))
        #expect(html.contains(#"<a href="https://github.com/collective/collective.example/issues" rel="nofollow noopener noreferrer">https://github.com/collective/collective.example/issues</a>"#))
        #expect(html.contains(#"<a href="https://github.com/collective/collective.example" rel="nofollow noopener noreferrer">GitHub</a>"#))
        #expect(html.contains(#"<a href="https://docs.example.invalid/collective.example" rel="nofollow noopener noreferrer">the docs</a>"#), "\(html)")
        #expect(html.contains(#"<a href="https://plone.org" rel="nofollow noopener noreferrer">Plone</a>"#), "\(html)")
        #expect(!html.contains(".. image::") && !html.contains(".. _"))
    }

    /// A Django app's README: substitution badges, an overlined title, roles, a code-block,
    /// nested and enumerated lists, a note, a field list, a simple table.
    @Test func rendersADjangoReadme() {
        let readme = """
            =============
            django-widget
            =============

            |build| |coverage|

            .. |build| image:: https://github.com/example/django-widget/workflows/Test/badge.svg
               :target: https://github.com/example/django-widget/actions
            .. |coverage| image:: https://codecov.invalid/gh/example/django-widget/branch/main/graph/badge.svg

            :Version: 2.1
            :Docs: https://django-widget.readthedocs.io/

            Quick start
            -----------

            1. Add "widget" to your ``INSTALLED_APPS``:

               .. code-block:: python

                   INSTALLED_APPS = [
                       ...,
                       "widget",
                   ]

            2. Include the URLconf, see :ref:`Configuration <config>` and :pep:`8`.

               * nested one
               * nested two

            .. note::
               Requires Django 4.2 or later.

            ======  =======
            Django  Python
            ======  =======
            4.2     3.9+
            ======  =======
            """
        let html = SafeMarkdown.render(readme, contentType: "text/x-rst; charset=UTF-8")
        #expect(html.contains("<h3>django-widget</h3>"), "\(html)")
        #expect(html.contains(#"<a href="https://github.com/example/django-widget/actions" rel="nofollow noopener noreferrer"><img src="https://github.com/example/django-widget/workflows/Test/badge.svg" alt="build" loading="lazy"></a>"#), "\(html)")
        #expect(html.contains(#"<img src="https://codecov.invalid/gh/example/django-widget/branch/main/graph/badge.svg" alt="coverage" loading="lazy">"#))
        #expect(html.contains("<dt>Version</dt><dd>2.1</dd>"), "\(html)")
        #expect(html.contains("<h4>Quick start</h4>"))
        #expect(html.contains("<ol><li><p>Add &quot;widget&quot; to your <code>INSTALLED_APPS</code>:</p>"), "\(html)")
        #expect(html.contains("<pre><code>INSTALLED_APPS = [\n    ...,\n    &quot;widget&quot;,\n]</code></pre>"), "\(html)")
        #expect(html.contains("<code>Configuration</code>") && html.contains("PEP 8"), "\(html)")
        #expect(html.contains("<ul><li>nested one</li><li>nested two</li></ul>"), "\(html)")
        #expect(html.contains("<blockquote><p><strong>Note</strong></p><p>Requires Django 4.2 or later.</p></blockquote>"), "\(html)")
        #expect(html.contains("<pre>======  =======\nDjango  Python"), "\(html)")
    }

    @Test func contentTypeDispatchFollowsTheIndex() {
        #expect(SafeMarkdown.kind("text/markdown") == .markdown)
        #expect(SafeMarkdown.kind("text/x-rst") == .rst)
        #expect(SafeMarkdown.kind("") == .rst, "the index renders a description without a type as reST")
        #expect(SafeMarkdown.kind("text/plain") == .plain)
        #expect(SafeMarkdown.render("*hi*", contentType: "text/plain") == "<pre class=\"readme-text\">*hi*</pre>")
    }

    @Test func hostileReSTEmitsNothingActive() {
        let attacks = [
            ".. raw:: html\n\n   <script>alert(1)</script>", "`x <javascript:alert(1)>`_", ".. image:: javascript:alert(1)",
            ".. image:: https://e.invalid/a.png\n   :target: javascript:alert(1)\n   :alt: \" onerror=\"alert(1)",
            "<script>alert(1)</script>", "x_\n\n.. _x: javascript:alert(1)", "|s|\n\n.. |s| image:: data:text/html,<script>",
            ".. include:: /etc/passwd", "`x <data:text/html;base64,PHNjcmlwdD4=>`__", ":raw-html:`<script>`",
            "Title\n=====\n\n<img src=x onerror=alert(1)>", ".. figure:: https://e.invalid/f.png\n   :target: vbscript:x\n\n   <b onclick=alert(1)>",
        ]
        for attack in attacks {
            let html = SafeMarkdown.render(attack, contentType: "text/x-rst")
            #expect(!html.lowercased().contains("<script"), "\(attack) → \(html)")
            #expect(!html.lowercased().contains("javascript:") || !html.contains("href=\"javascript"), "\(attack) → \(html)")
            #expect(!html.contains("href=\"javascript") && !html.contains("src=\"javascript") && !html.contains("href=\"data:") && !html.contains("src=\"data:") && !html.contains("href=\"vbscript"), "\(attack) → \(html)")
            #expect(!html.contains("\" onerror=\"") && !html.contains("<b onclick") && !html.contains("<img src=x"), "\(attack) → \(html)")
            #expect(!html.contains("/etc/passwd") || html.isEmpty, "\(attack) → \(html)")
        }
    }

    /// Work (steps counted by the renderers) on pathological input grows linearly: doubling the
    /// input at most doubles the work (plus a little), and stays within a small multiple of the size.
    @Test(arguments: ["[", "**", "`", "<", "|", "*", "_", "![", "[a](", "``", ":x:`", "<http", "`a <", "\\", "- ", "1. "])
    func pathologicalInputIsLinear(unit: String) {
        for type in ["text/markdown", "text/x-rst"] {
            let small = String(repeating: unit + "a ", count: 50_000)
            let large = String(repeating: unit + "a ", count: 100_000)
            var smallWork = 0, largeWork = 0
            _ = SafeMarkdown.render(small, contentType: type, work: &smallWork)
            _ = SafeMarkdown.render(large, contentType: type, work: &largeWork)
            #expect(largeWork <= smallWork * 2 + 1_000, "\(type) \(unit): \(smallWork) → \(largeWork)")
            #expect(largeWork <= large.unicodeScalars.count * 40, "\(type) \(unit): \(largeWork) steps for \(large.unicodeScalars.count) scalars")
            // Unbroken runs (no spaces), one paragraph.
            var runWork = 0
            let run = String(repeating: unit, count: 100_000)
            _ = SafeMarkdown.render(run, contentType: type, work: &runWork)
            #expect(runWork <= run.unicodeScalars.count * 40, "\(type) \(unit) run: \(runWork)")
        }
    }

    @Test func longDescriptionsAreCutAndSaySo() {
        let text = String(repeating: "word ", count: SafeMarkdown.maxBytes / 4)
        for type in ["text/markdown", "text/x-rst", "text/plain"] {
            let html = SafeMarkdown.render(text, contentType: type)
            #expect(html.contains("only its first 512 KiB are shown"), "\(type)")
            #expect(html.utf8.count < SafeMarkdown.maxBytes + 4096)
        }
        #expect(!SafeMarkdown.render("short", contentType: "text/markdown").contains("are shown"))
        // A cut never splits a character.
        let (cut, wasCut) = SafeMarkdown.capped(String(repeating: "é", count: SafeMarkdown.maxBytes))
        #expect(wasCut && cut.utf8.count <= SafeMarkdown.maxBytes && cut.allSatisfy { $0 == "é" })
    }

    @Test func deepNestingIsBounded() {
        var text = ""
        for level in 0..<500 { text += String(repeating: " ", count: level * 2) + "- item \(level)\n" }  // ≈ 250 KB: under the cap
        var work = 0
        let html = SafeMarkdown.render(text, contentType: "text/x-rst", work: &work)
        #expect(html.contains("item 499"), "the levels past the limit show as text")
        #expect(work < text.unicodeScalars.count * 40)
    }
}
