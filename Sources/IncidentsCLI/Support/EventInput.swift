import Foundation
import IncidentEvents
import LedgerModel

/// Reads events given as JSON from a file or standard input.
enum EventInput {
    /// The largest input `append` reads, so a wrong file cannot exhaust memory.
    static let maximumInputBytes = 512 << 20

    /// Reads one JSON event, or JSON Lines, and checks every envelope. Any fault is reported with
    /// its line and field, and nothing is returned.
    static func read(file: String?) throws -> [StreamEvent] {
        let bytes = try readBytes(file: file)
        let source = file == nil || file == "-" ? "standard input" : file!
        guard bytes.contains(where: { !isWhitespace($0) }) else {
            throw CommandFailure(.invalidInput, "\(source) is empty; give one JSON event or JSON Lines")
        }
        // One document (possibly pretty-printed over many lines), or else one document per line.
        let whole: JSONValue
        do {
            whole = try JSONParser.parse(bytes)
        } catch let wholeError {
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let nonBlank = lines.filter { $0.contains(where: { !isWhitespace($0) }) }
            guard nonBlank.count > 1, (try? JSONParser.parse(nonBlank[0])) != nil else {
                throw CommandFailure(.invalidInput, "\(source): \(wholeError); nothing was written")
            }
            var events = [StreamEvent]()
            for (number, line) in lines.enumerated() where line.contains(where: { !isWhitespace($0) }) {
                let value: JSONValue
                do {
                    value = try JSONParser.parse(line)
                } catch {
                    throw CommandFailure(.invalidInput, "\(source) line \(number + 1): \(error.reason) (column \(error.column)); nothing was written")
                }
                events.append(try event(value, index: events.count + 1, line: number + 1, source: source))
            }
            return events
        }
        if case .array = whole {
            throw CommandFailure(.invalidInput, "\(source) holds a JSON array; give one event, or one event per line (JSON Lines)")
        }
        return [try event(whole, index: nil, line: nil, source: source)]
    }

    private static func event(_ value: JSONValue, index: Int?, line: Int?, source: String) throws -> StreamEvent {
        do {
            return try StreamEvent(json: value, defaultSchemaVersion: Catalog.currentVersion(of:))
        } catch {
            let place = line.map { "\(source) line \($0)" } ?? source
            let which = index.map { "event \($0), " } ?? ""
            let field = error.field.isEmpty ? "" : "\(error.field): "
            throw CommandFailure(.invalidInput, "\(place): \(which)\(field)\(error.reason); nothing was written")
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

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
