import Foundation
public import LedgerStore

/// Damages a ledger's files on disk the way a disk fault would, without opening them.
public enum FileDamage {
    /// Flips the low bit of the byte `offset` bytes from the start of every occurrence of `needle`
    /// in the file, and returns how many occurrences there were. Every copy is damaged because LMDB
    /// keeps stale copies of pages beside the live one, and which is live is LMDB's business.
    @discardableResult
    public static func flipEverywhere(in path: String, after needle: [UInt8], offset: Int) throws -> Int {
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var count = 0
        var start = 0
        while start + needle.count <= data.count {
            guard let found = data[start...].firstRange(of: needle) else { break }
            if found.lowerBound + offset < data.count {
                data[found.lowerBound + offset] ^= 0x01
                count += 1
            }
            start = found.lowerBound + 1
        }
        try Data(data).write(to: URL(fileURLWithPath: path))
        return count
    }

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
