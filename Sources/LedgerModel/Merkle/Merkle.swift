import Crypto

/// The Merkle tree hashing of RFC 6962 / RFC 9162 §2.1, over the ledger's stored records.
///
/// Leaf `i` (0-based) is the record at position `i + 1`; its hash is SHA-256(0x00 ‖ record bytes),
/// an interior node's is SHA-256(0x01 ‖ left ‖ right). The tree of `n` leaves splits at the largest
/// power of two below `n`, so every tree is made of complete subtrees that never change once full.
public enum Merkle {
    /// The hash of a leaf: SHA-256(0x00 ‖ bytes).
    public static func leafHash(_ bytes: UnsafeRawBufferPointer) -> Hash256 {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) }
    }

    /// The hash of a leaf: SHA-256(0x00 ‖ bytes).
    public static func leafHash(_ bytes: [UInt8]) -> Hash256 {
        bytes.withUnsafeBytes { leafHash($0) }
    }

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(1)) { hasher.update(bufferPointer: $0) }
        left.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Hash256(bytes: $0) }
    }

    /// The root of an empty tree: SHA-256 of nothing.
    public static let emptyRoot: Hash256 = [UInt8]().withUnsafeBytes { Hash256.sha256($0) }

    /// The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree of n leaves.
    public static func split(_ n: UInt64) -> UInt64 {
        precondition(n >= 2)
        return UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The root of the tree over `leaves`, computed the slow, obvious way: a reference for tests.
    public static func naiveRoot(_ leaves: ArraySlice<Hash256>) -> Hash256 {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves.first!
        default:
            let k = Int(split(UInt64(leaves.count)))
            let start = leaves.startIndex
            return nodeHash(naiveRoot(leaves[start..<start + k]), naiveRoot(leaves[(start + k)...]))
        }
    }
}
