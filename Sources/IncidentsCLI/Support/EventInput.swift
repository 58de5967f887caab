import Foundation
import IncidentImporters
import LedgerModel

/// Reads events given as JSON from a file or standard input.
enum EventInput {
    /// The largest input `append` reads, so a wrong file cannot exhaust memory.
    static let maximumInputBytes = 512 << 20

    /// Reads one JSON event, or JSON Lines, record by record: each event, or the line's fault with
    /// its line and field (``EventLines``). Input that is not events at all is refused here.
    static func read(file: String?) throws -> EventLines {
        let bytes = try readBytes(file: file)
        let source = file == nil || file == "-" ? "standard input" : file!
        do {
            return try EventLines(parsing: bytes)
        } catch {
            throw CommandFailure(.invalidInput, source + error.sentence)
        }
    }

    private static func readBytes(file: String?) throws -> [UInt8] {
        let handle: FileHandle
        let name: String
        if let file, file != "-" {
            name = file
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw CommandFailure(.invalidInput, "no such file: \(file) — check the path, or give - for standard input")
            }
            guard !isDirectory.boolValue else { throw CommandFailure(.invalidInput, "\(file) is a directory; give a file of JSON events") }
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw CommandFailure(.invalidInput, "cannot read \(file): permission denied — ask for read access, or pipe it in on standard input")
            }
            handle = opened
        } else {
            name = "standard input"
            handle = .standardInput
        }
        defer { if handle !== FileHandle.standardInput { try? handle.close() } }
        var bytes = [UInt8]()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw CommandFailure(SystemFailure(error) ?? SystemFailure(errno: 0), "cannot read \(name)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            bytes.append(contentsOf: chunk)
            guard bytes.count <= maximumInputBytes else {
                throw CommandFailure(.invalidInput, "\(name) is larger than \(maximumInputBytes >> 20) MiB; split it into smaller batches")
            }
        }
        return bytes
    }
}
