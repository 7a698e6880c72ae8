import Foundation
import TrawlCore

/// Realistic documents for two collections, including one whose texts try to inject script.
enum Fixtures {
    static let now: Int64 = 1_763_000_000

    static func doc(
        _ name: String, summary: String, description: String = "", contentType: String = "text/markdown", stars: Int = 0, downloads: Int = 0,
        health: Int = 50, frameworks: [String] = [], pythons: [String] = ["3.12"], official: Bool = false, verified: Bool = false,
        classifiers: [String] = [], keywords: [String] = [], uploaded: Int64 = now, github: Bool = true, week: Int? = nil, categories: [String] = []
    ) -> StoredPackage {
        var d = PackageDocument(name: name)
        d.version = "1.2.0"
        d.summary = summary
        d.description = description
        d.descriptionContentType = contentType
        d.githubStars = stars
        d.downloadLastMonth = downloads
        d.downloadLastWeek = week ?? downloads / 4
        d.downloadLastDay = downloads / 30
        d.downloadTotal = downloads * 20
        d.healthScore = health
        d.healthScoreBreakdown = ["releases": HealthRuleResult(points: health / 2, max: 50, why: "released recently"),
                                  "github": HealthRuleResult(points: health - health / 2, max: 50, why: "active repository")]
        d.frameworkVersions = frameworks
        d.pythonVersions = pythons
        d.isOfficial = official
        d.isVerified = verified
        d.classifiers = classifiers
        d.keywords = keywords
        d.uploadTimestamp = uploaded
        d.firstSeen = uploaded - 86_400
        d.githubURL = github ? "https://github.com/example/\(d.normalizedName)" : ""
        d.homePage = "https://example.org/\(d.normalizedName)"
        d.projectURLs = ["Source": "https://github.com/example/\(d.normalizedName)", "Evil": "javascript:alert(1)"]
        d.categories = categories
        d.profiles = ["django"]
        let releases = [
            Release(version: "1.2.0", uploadTimestamp: uploaded, requiresPython: ">=3.10"),
            Release(version: "1.1.0", uploadTimestamp: uploaded - 3_000_000, yanked: true),
        ]
        return StoredPackage(document: d, releases: releases)
    }

    static let xssDescription = """
        # Evil package

        Looks harmless. <script>document.title='PWNED'; document.body.setAttribute('data-pwned','1')</script>

        <img src=x onerror="document.title='PWNED'">

        [click me](javascript:document.title='PWNED') and [docs](https://example.org/docs "Docs")

        ```
        <script>alert('in code')</script>
        ```
        """

    static var django: [StoredPackage] {
        var list = [
            doc("djangorestframework", summary: "Web APIs for Django, made easy.",
                description: "# Django REST framework\n\nDjango REST framework is a powerful and flexible toolkit for building **Web APIs**.\n\n- Serialization\n- Authentication\n\nSee [the docs](https://www.django-rest-framework.org/).",
                stars: 28_000, downloads: 9_000_000, health: 92, frameworks: ["4.2", "5.0"], pythons: ["3.10", "3.11", "3.12"], verified: true,
                classifiers: ["Framework :: Django", "Framework :: Django :: 4.2", "Framework :: Django :: 5.0"], keywords: ["api", "rest"], categories: ["api"]),
            doc("django-filter", summary: "Django-filter is a reusable Django application for allowing users to filter querysets dynamically.",
                description: "Django-filter\n=============\n\nA generic system for filtering Django QuerySets.", contentType: "text/x-rst",
                stars: 4_400, downloads: 4_000_000, health: 85, frameworks: ["4.2", "5.0"], pythons: ["3.11", "3.12"], official: false,
                classifiers: ["Framework :: Django", "Framework :: Django :: 5.0"], categories: ["api"]),
            doc("django-cors-headers", summary: "django-cors-headers is a Django application for handling the server headers required for CORS",
                stars: 5_300, downloads: 6_000_000, health: 88, frameworks: ["4.2", "5.0"], classifiers: ["Framework :: Django"]),
            doc("django-debug-toolbar", summary: "A configurable set of panels that display various debug information about the current request/response.",
                stars: 8_000, downloads: 2_500_000, health: 80, frameworks: ["4.2"], official: true, classifiers: ["Framework :: Django"], week: 2_000_000),
            doc("channels", summary: "Brings async, event-driven capabilities to Django.", stars: 6_000, downloads: 1_500_000, health: 75,
                frameworks: ["5.0"], official: true, classifiers: ["Framework :: Django"]),
            doc("django-evil", summary: "<b>Bold</b> claims <script>document.title='PWNED'</script>", description: xssDescription,
                stars: 3, downloads: 10, health: 10, frameworks: ["5.0"], github: false),
        ]
        // The repository again under another label and spelling (shown once), and a known advisory.
        list[1].document.projectURLs["GitHub"] = "http://github.com/example/django-filter.git/"
        list[1].document.vulnerabilities = [Vulnerability(
            id: "PYSEC-2024-7", aliases: ["CVE-2024-0007"], summary: "Filter <input> is not escaped",
            link: "https://osv.invalid/PYSEC-2024-7", fixedIn: ["1.2.1"])]
        for i in 0..<30 {
            list.append(doc(String(format: "django-addon-%02d", i), summary: "Small addon number \(i) for Django sites", stars: i, downloads: 100 + i,
                            health: 20 + i, frameworks: [i % 2 == 0 ? "4.2" : "5.0"], github: i % 3 != 0))
        }
        return list
    }

    static var flask: [StoredPackage] {
        [
            doc("Flask-Login", summary: "User session management for Flask", stars: 3_500, downloads: 5_000_000, health: 83,
                classifiers: ["Framework :: Flask"]),
            doc("flask-cors", summary: "A Flask extension adding a decorator for CORS support", stars: 900, downloads: 7_000_000, health: 70,
                classifiers: ["Framework :: Flask"]),
        ]
    }
}
