import Crypto
import Foundation
public import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// A new file written through a buffer, hashed with SHA-256 as it goes, so a bundle's files are
/// written and hashed in one pass with flat memory.
final class HashingFileWriter {
    let path: String
    private let descriptor: Int32
    private var buffer = [UInt8]()
    private var hasher = SHA256()
    private(set) var byteCount = 0

    /// Creates `path`, which must not exist.
    init(path: String) throws(AuditError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw AuditError.system(SystemFailure.last, "cannot create \(path)")
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ bytes: some Sequence<UInt8>) throws(AuditError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends a line that `body` writes straight into the buffer, then its newline.
    func writeLine(_ body: (inout [UInt8]) -> Void) throws(AuditError) {
        body(&buffer)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func write(_ text: String) throws(AuditError) {
        try write(text.utf8)
    }

    private func flush() throws(AuditError) {
        guard !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBytes { raw -> SystemFailure? in
            hasher.update(bufferPointer: raw)
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                // A write that takes nothing means the disk has no room left.
                if written == 0 { return SystemFailure(errno: ENOSPC) }
                if written < 0 { return .last }
                offset += written
            }
            return nil
        }
        if let failure { throw AuditError.system(failure, "cannot write \(path)") }
        byteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and returns the file's size and SHA-256.
    func finish() throws(AuditError) -> FileDigest {
        try flush()
        guard fsync(descriptor) == 0 else { throw AuditError.system(SystemFailure.last, "cannot write \(path) to disk") }
        return FileDigest(bytes: byteCount, sha256: hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) })
    }
}

/// A file's size and SHA-256, as a bundle's manifest lists them.
public struct FileDigest: Sendable, Hashable {
    public var bytes: Int
    public var sha256: Hash256
}

/// The size and SHA-256 of bytes added piece by piece, without a file: how a verifier checks a
/// file it can rebuild, such as the CSV.
struct HashingCounter {
    private var hasher = SHA256()
    private var count = 0

    init(_ first: [UInt8] = []) {
        add(first)
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        count += bytes.count
    }

    var digest: FileDigest {
        FileDigest(bytes: count, sha256: hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) })
    }
}
