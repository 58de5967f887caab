import Foundation
import IncidentImporters

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

    /// The CSV table in bytes read for a CSV importer; `name` is the file as given, for the message.
    static func table(_ bytes: [UInt8], format: CSVFormat, name: String) throws(CommandFailure) -> CSVTable {
        do {
            return try format.table(bytes)
        } catch {
            throw CommandFailure(.invalidInput, "\(name == "-" ? "standard input" : name) cannot be read as CSV: \(error.description); nothing was written")
        }
    }
}
