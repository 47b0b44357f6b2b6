import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The console's static files, read once at start from one folder: regular files directly in it whose names
/// are plain (letters, digits, `.`, `_`, `-`, not starting with `.`). A request names a file by that name only and
/// is answered from this table, so no path is ever built from request text: `..`, encoded `%2e%2e`, sub-folders
/// and symbolic links (even inside the folder) are never served.
struct StaticFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    let files: [String: File]

    init(directory: URL) {
        var files: [String: File] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where Self.isPlainName(name) {
            let path = directory.appendingPathComponent(name).path
            var info = stat()
            // lstat: a symbolic link is not followed, and not served.
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            files[name] = File(bytes: Array(data), contentType: Self.contentType(of: name))
        }
        self.files = files
    }

    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first != ".", name.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
