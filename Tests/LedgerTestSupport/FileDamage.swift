import Foundation
public import LedgerStore

/// Damages a ledger's files on disk the way a disk fault would, without opening them.
public enum FileDamage {
    /// Flips the low bit of the byte `offset` bytes from the start of every occurrence of `needle`
    /// in the file, and returns how many bytes it flipped. Every copy is damaged because LMDB
    /// keeps stale copies of pages beside the live one, and which is live is LMDB's business.
    /// A byte on another page than its occurrence is left alone: a node never spans pages, and the
    /// next page may hold something else entirely, such as the log.
    @discardableResult
    public static func flipEverywhere(in path: String, after needle: [UInt8], offset: Int) throws -> Int {
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var count = 0
        var start = 0
        while start + needle.count <= data.count {
            guard let found = data[start...].firstRange(of: needle) else { break }
            if found.lowerBound + offset < data.count, found.lowerBound / pageSize == (found.lowerBound + offset) / pageSize {
                data[found.lowerBound + offset] ^= 0x01
                count += 1
            }
            start = found.lowerBound + 1
        }
        try Data(data).write(to: URL(fileURLWithPath: path))
        return count
    }

    /// Flips the low bit of byte `offset` of the value stored under `key`, in every copy of the
    /// key's leaf node in the file (LMDB keeps stale copies of pages beside the live one); returns
    /// how many copies there were.
    ///
    /// Follows LMDB's layout (lmdb.h 0.9, default 4 KiB pages): a page starts with a 16-byte header
    /// whose flags (offset 10) say leaf (0x02) or overflow (0x04); a leaf node is data size (4 bytes,
    /// in two halves), flags (2), key size (2), key, data; with `F_BIGDATA` (flag 0x01) the data is
    /// the number of the first overflow page, whose header the value follows.
    @discardableResult
    public static func flipInValue(in path: String, key: [UInt8], offset: Int) throws -> Int {
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func flags(ofPage page: Int) -> UInt8 { data[page * pageSize + 10] }
        var count = 0
        var start = 8
        while let found = data[start...].firstRange(of: key) {
            let node = found.lowerBound - 8
            start = found.lowerBound + 1
            let keySize = Int(data[node + 6]) | Int(data[node + 7]) << 8
            guard flags(ofPage: node / pageSize) & 0x02 != 0, keySize == key.count else { continue }
            let size = Int(data[node]) | Int(data[node + 1]) << 8 | Int(data[node + 2]) << 16 | Int(data[node + 3]) << 24
            precondition(offset < size, "the value has only \(size) bytes")
            var at = found.upperBound + offset
            if data[node + 4] & 0x01 != 0 {
                let page = (0..<8).reduce(0) { $0 | Int(data[found.upperBound + $1]) << (8 * $1) }
                // A stale copy's page may have been reused for something else since: leave it.
                guard (page + 1) * pageSize <= data.count, flags(ofPage: page) & 0x04 != 0,
                    (0..<8).reduce(0, { $0 | Int(data[page * pageSize + $1]) << (8 * $1) }) == page
                else { continue }
                at = page * pageSize + 16 + offset
            }
            guard at < data.count else { continue }
            data[at] ^= 0x01
            count += 1
        }
        try Data(data).write(to: URL(fileURLWithPath: path))
        return count
    }

    static let pageSize = 4096

    /// The bytes that start a projection state's storage key (name ‖ 0x00 ‖ key).
    public static func projectionKey(_ projection: String, _ key: String) -> [UInt8] {
        Array(projection.utf8) + [0] + Array(key.utf8)
    }
}

extension Ledger {
    /// Every stored state of a projection, as the bytes stored (without their checksums).
    public func storedProjectionStates(_ name: String) throws -> [String: [UInt8]] {
        try read { reader in
            var out = [String: [UInt8]]()
            try reader.forEachProjectionState(name) { key, bytes in
                out[key] = Array(bytes)
                return true
            }
            return out
        }
    }
}
