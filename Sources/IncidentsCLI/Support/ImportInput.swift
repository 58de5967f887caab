import Foundation
import Importers

/// The bytes of a file to import: a path, or `-` for standard input; gzip-compressed input
/// (recognised by its magic bytes, whatever the name) is decompressed.
enum ImportInput {
    static func read(_ path: String) throws(CommandFailure) -> [UInt8] {
        let raw: [UInt8]
        if path == "-" {
            raw = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(.invalidInput, "cannot read \(path): check that it exists and is readable")
            }
            raw = Array(data)
        }
        do {
            return try Gzip.decompressIfNeeded(raw)
        } catch {
            throw CommandFailure(.invalidInput, "\(path == "-" ? "standard input" : path): \(error.description); nothing was written")
        }
    }

    /// A mapping file's bytes (never compressed).
    static func mapping(_ path: String) throws(CommandFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(.invalidInput, "cannot read the mapping \(path): check that it exists and is readable")
        }
        return Array(data)
    }
}
