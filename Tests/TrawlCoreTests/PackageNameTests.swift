import Testing
import TrawlCore

/// PEP 503 names: the ASCII byte path and the Unicode path must agree with the rule
/// `re.sub(r"[-_.]+", "-", name).lower()` for every valid project name.
@Suite struct PackageNameTests {
    @Test(arguments: [
        ("Django", "django"), ("djangorestframework", "djangorestframework"),
        ("Products.CMFPlone", "products-cmfplone"), ("zope.interface", "zope-interface"),
        ("flet_contrib", "flet-contrib"), ("A--B__C..D", "a-b-c-d"), ("a-_.b", "a-b"),
        ("Plone2.5", "plone2-5"), ("x", "x"), ("", ""), ("ZZ9", "zz9"),
    ])
    func asciiNames(_ name: String, _ expected: String) {
        #expect(PackageName.normalize(name) == expected)
    }

    @Test func nonASCIINamesLowercaseByUnicodeRules() {
        #expect(PackageName.normalize("Ärger_Paket") == "ärger-paket")
        #expect(PackageName.normalize("ÉCOLE.Ü") == "école-ü")
    }

    @Test func separatorsAtTheEdgesAreDropped() {
        // Valid names start and end with a letter or digit; stray edges never yield a leading "-".
        #expect(PackageName.normalize("-foo-") == "foo")
        #expect(PackageName.normalize("._foo") == "foo")
    }
}
