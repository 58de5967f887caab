import Foundation
import LedgerModel
import LedgerStore

#if canImport(Glibc)
import Glibc
#endif

/// The `lmdb-raw` program: plain C over LMDB, the physical limit the ledger is compared with.
struct RawLMDB {
    /// What one run of the program reports.
    struct Timing {
        var records: Int
        var seconds: Double
    }

    let executable: String

    /// `lmdb-raw` beside this program, where `swift build` puts it.
    static func besideThisProgram() throws -> RawLMDB {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("lmdb-raw").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchFailure("lmdb-raw is not built at \(path); build the package with `swift build -c release --package-path Tools/Benchmarks`")
        }
        return RawLMDB(executable: path)
    }

    /// The LMDB library's version string, for the report.
    func libraryVersion() -> String {
        let text = (try? Subprocess.run(executable, ["version"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.flatMap { $0.isEmpty ? nil : $0 } ?? "LMDB (version unknown)"
    }

    /// Appends the records of a length-prefixed file to a new environment in `directory`.
    func load(into directory: String, from file: String, batch: Int) throws -> Timing {
        try parse(Subprocess.run(executable, ["load", directory, file, String(batch)]))
    }

    /// Scans the main database of the environment in `directory`.
    func scan(_ directory: String) throws -> Timing {
        try parse(Subprocess.run(executable, ["scan", directory]))
    }

    private func parse(_ output: String) throws -> Timing {
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let records = Int(fields[0]), let seconds = Double(fields[1]) else {
            throw BenchFailure("lmdb-raw printed '\(output)', not 'records seconds'")
        }
        return Timing(records: records, seconds: seconds)
    }
}

/// Writes the ledger's stored records, exactly as stored, to a file of length-prefixed records
/// (u32 little-endian length, then the bytes): the input of `lmdb-raw load`.
enum RecordExport {
    /// Returns the number of records and of record bytes (without the length prefixes).
    static func write(_ ledger: Ledger, to path: String) throws -> (records: Int, bytes: Int) {
        let output = try BufferedFile(creating: path)
        var records = 0
        var bytes = 0
        // The store's in-place scan is internal to it: each event is encoded again, which gives the
        // stored bytes exactly (the record form is canonical; `verify` relies on it).
        try ledger.read { reader in
            try reader.forEachEvent { event in
                let record = RecordCodec.encode(event)
                try output.append(littleEndian: UInt32(record.count))
                try record.withUnsafeBytes { try output.append($0) }
                records += 1
                bytes += record.count
                return true
            }
        }
        try output.close()
        return (records, bytes)
    }
}

/// A file written through a large buffer with plain `write(2)`.
final class BufferedFile {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity = 8 << 20
    private let path: String

    init(creating path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw Self.failure("cannot create \(path)") }
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        buffer.append(contentsOf: bytes)
    }

    func append(littleEndian value: UInt32) throws {
        try withUnsafeBytes(of: value.littleEndian) { try append($0) }
    }

    func close() throws {
        try flush()
        guard Glibc.close(descriptor) == 0 else { throw Self.failure("cannot close \(path)") }
        descriptor = -1
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw Self.failure("cannot write \(path)") }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func failure(_ what: String) -> BenchFailure {
        BenchFailure("\(what): \(String(cString: strerror(errno)))")
    }
}
