import Crypto
import Foundation
import LedgerModel

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line in 1 MiB chunks, hashing every byte with SHA-256 on the way, so a
/// bundle's files are checked in one pass whatever their size.
final class HashingLineReader {
    let path: String
    private let descriptor: Int32
    private var chunk = [UInt8]()
    /// Where each block is read to, 1 MiB.
    private let scratch: UnsafeMutableRawBufferPointer
    private var start = 0
    private var hasher = SHA256()
    private(set) var byteCount = 0
    private var atEnd = false
    /// The number of the last line returned, from 1.
    private(set) var lineNumber = 0

    init(path: String) throws(AuditError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw AuditError(.invalidInput, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        scratch = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        close(descriptor)
        scratch.deallocate()
    }

    /// The next line without its newline; nil at the end. A last line with no newline is an error:
    /// every line a bundle holds ends in one, so that is a file cut short.
    func nextLine() throws(AuditError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = Self.newline(in: chunk, from: start) {
                let line = chunk[start..<newline]
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start == chunk.count else {
                    throw AuditError.failed("\((path as NSString).lastPathComponent) is cut short: its last line (line \(lineNumber + 1)) has no newline")
                }
                return nil
            }
            try refill()
        }
    }

    /// The index of the next line feed at or after `start` (memchr: a generic search over an array
    /// slice was a tenth of verifying an export).
    private static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { return nil }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The file's size and SHA-256; call after the last line was read.
    func digest() throws(AuditError) -> FileDigest {
        while !atEnd { try refill() }
        return FileDigest(bytes: byteCount, sha256: hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) })
    }

    /// Reads the next block into `scratch`, hashes it and appends it to `chunk`. The block is read
    /// into a buffer allocated once, not into zeros appended to `chunk` and cut again: that was a
    /// second of a debug build's verify per small file.
    private func refill() throws(AuditError) {
        chunk.removeFirst(start)
        start = 0
        var readCount = 0
        repeat {
            readCount = read(descriptor, scratch.baseAddress!, scratch.count)
        } while readCount < 0 && errno == EINTR
        guard readCount >= 0 else { throw AuditError(.invalidInput, "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard readCount > 0 else {
            atEnd = true
            return
        }
        let block = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[..<readCount])
        hasher.update(bufferPointer: block)
        chunk.append(contentsOf: block)
        byteCount += readCount
    }

    /// Hashes a whole small file.
    static func digest(of path: String) throws(AuditError) -> FileDigest {
        try HashingLineReader(path: path).digest()
    }
}
