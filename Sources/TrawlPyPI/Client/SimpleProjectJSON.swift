import Foundation

/// A PEP 691 JSON project page: `{"name": …, "files": [{"filename", "url", "requires-python", "yanked"}]}`.
enum SimpleProjectJSON {
    struct Page: Decodable {
        var files: [File]
    }

    struct File: Decodable {
        var filename: String
        var url: String
        var requiresPython: String?
        var yanked: Bool

        enum CodingKeys: String, CodingKey {
            case filename, url, yanked
            case requiresPython = "requires-python"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            filename = (try? c.decodeIfPresent(String.self, forKey: .filename)) ?? ""
            url = (try? c.decodeIfPresent(String.self, forKey: .url)) ?? ""
            requiresPython = try? c.decodeIfPresent(String.self, forKey: .requiresPython)
            // `yanked` is false, true, or the reason as a string.
            if let flag = try? c.decodeIfPresent(Bool.self, forKey: .yanked) { yanked = flag }
            else { yanked = (try? c.decodeIfPresent(String.self, forKey: .yanked)) != nil }
        }
    }

    static func files(_ body: [UInt8]) throws -> [SimpleIndexFile] {
        let page = try JSONDecoder().decode(Page.self, from: Data(body))
        return page.files.filter { !$0.filename.isEmpty }.map {
            SimpleIndexFile(filename: $0.filename, url: $0.url, requiresPython: $0.requiresPython, yanked: $0.yanked)
        }
    }
}
