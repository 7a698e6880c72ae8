import Testing
import TrawlCore
@testable import TrawlServer

@Suite struct FilterByTests {
    @Test func comparisons() throws {
        #expect(try FilterBy.parse("github_stars:>100") == [.range(field: "github_stars", min: 101, max: nil)])
        #expect(try FilterBy.parse("github_stars:>=100") == [.range(field: "github_stars", min: 100, max: nil)])
        #expect(try FilterBy.parse("health_score:<50") == [.range(field: "health_score", min: nil, max: 49)])
        #expect(try FilterBy.parse("health_score:<=50") == [.range(field: "health_score", min: nil, max: 50)])
        #expect(try FilterBy.parse("health_score:=50") == [.range(field: "health_score", min: 50, max: 50)])
        #expect(try FilterBy.parse("health_score:[10..20]") == [.range(field: "health_score", min: 10, max: 20)])
        #expect(try FilterBy.parse("is_official:true") == [.flag(field: "is_official", value: true)])
        #expect(try FilterBy.parse("framework_versions:=5.0") == [.contains(field: "framework_versions", value: "5.0")])
        #expect(try FilterBy.parse("framework_versions:[4.2, `5.0`]") == [.anyOf([.contains(field: "framework_versions", value: "4.2"), .contains(field: "framework_versions", value: "5.0")])])
        #expect(try FilterBy.parse("classifiers:=`Framework :: Django :: 5.0`") == [.contains(field: "classifiers", value: "Framework :: Django :: 5.0")])
        #expect(try FilterBy.parse("is_official:!=true") == [.not(.flag(field: "is_official", value: true))])
        #expect(try FilterBy.parse("id:=[flask-cors,Flask_Login]") == [.name(["flask-cors", "Flask_Login"])])
    }

    @Test func booleanStructure() throws {
        #expect(try FilterBy.parse("is_official:true && github_stars:>10") == [.flag(field: "is_official", value: true), .range(field: "github_stars", min: 11, max: nil)])
        #expect(try FilterBy.parse("is_official:true || is_verified:true") == [.anyOf([.flag(field: "is_official", value: true), .flag(field: "is_verified", value: true)])])
        let nested = try FilterBy.parse("(is_official:true || is_verified:true) && health_score:>=80")
        #expect(nested == [.anyOf([.flag(field: "is_official", value: true), .flag(field: "is_verified", value: true)]), .range(field: "health_score", min: 80, max: nil)])
        #expect(try FilterBy.parse("") == [])
    }

    @Test func errors() {
        for bad in ["nofield", "github_stars:>", "bogus:=1", "github_stars:>abc", "(is_new:true", "is_new:maybe", "framework_versions:>1", "a:=1 &&"] {
            #expect(throws: (any Error).self, "\(bad)") { try FilterBy.parse(bad) }
        }
    }
}
