import CLMDB
import LedgerModel

/// The Merkle tree over the log, kept in the `merkle` database as the hashes of its complete
/// subtrees, each under its position in post-order (8 bytes, big-endian), value the 32-byte hash.
///
/// Leaves are height 0 (leaf `i` is the record at position `i + 1`); the node at height `h` and
/// index `i` covers leaves `i·2^h ..< (i+1)·2^h`. Appending a leaf writes it and every subtree it
/// completes — two writes on average — in the append's own write transaction. Subtrees complete in
/// post-order, so every write lands after every stored key and goes in with `MDB_APPEND`, filling
/// pages. The root of any tree size, and inclusion and consistency proofs (RFC 9162 §2.1), are put
/// together from these stored hashes with O(log² n) reads at most, never rereading the log.
enum MerkleStorage {
    /// The post-order position of the subtree at `height` and `index`: the nodes of the leaves
    /// before its last leaf, then that leaf and its ancestors up to `height`.
    static func postorder(height: Int, index: UInt64) -> UInt64 {
        let last = (index + 1) << UInt64(height) - 1
        return 2 * last - UInt64(last.nonzeroBitCount) + UInt64(height)
    }

    /// Calls `body` with the key of the subtree at `height` and `index`.
    static func withKey<Result>(height: Int, index: UInt64, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: postorder(height: height, index: index).bigEndian, body)
    }

    /// The number of leaves in the stored tree: `n` leaves make `2n − popcount(n)` nodes, which
    /// grows strictly with `n`, so the node count names the leaf count.
    static func size(in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> UInt64 {
        let nodes = UInt64(try txn.count(databases.merkle))
        var leaves = nodes / 2
        while 2 * leaves - UInt64(leaves.nonzeroBitCount) < nodes { leaves += 1 }
        guard 2 * leaves - UInt64(leaves.nonzeroBitCount) == nodes else {
            throw LedgerError(.corrupt, "the Merkle tree holds \(nodes) nodes, which no number of events makes", detail: .damagedLog)
        }
        return leaves
    }

    /// The stored hash of the complete subtree at `height` and `index`.
    static func node(height: Int, index: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> Hash256 {
        guard let bytes = try withKey(height: height, index: index, { try txn.get(databases.merkle, $0) }), bytes.count == 32 else {
            throw LedgerError(.corrupt, "the Merkle tree lacks the subtree at height \(height), index \(index)", detail: .damagedLog)
        }
        return Hash256(bytes: bytes)
    }

    /// Stores leaf `index` and every subtree it completes.
    static func append(leaf: Hash256, index: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws {
        var hash = leaf
        var height = 0
        var position = index
        var completed = [(height: 0, index: index, hash: leaf)]
        while position & 1 == 1 {
            hash = Merkle.nodeHash(try node(height: height, index: position - 1, in: txn, databases), hash)
            height += 1
            position >>= 1
            completed.append((height: height, index: position, hash: hash))
        }
        try txn.withCursor(databases.merkle) { cursor in
            for node in completed {
                try withKey(height: node.height, index: node.index) { key in
                    try node.hash.withUnsafeBytes { try cursor.put(key, $0, flags: MDB_APPEND) }
                }
            }
        }
    }

    /// For `verify`: recomputes leaf `index` and the subtrees it completes, with `stack` holding the
    /// roots of the complete subtrees before it, and compares each with the stored node.
    static func checkNodes(
        leaf: Hash256, index: UInt64, stack: inout [Hash256], in txn: borrowing Transaction, _ databases: Environment.Databases
    ) throws -> Bool {
        func stored(_ height: Int, _ index: UInt64) throws -> Hash256? {
            try withKey(height: height, index: index) { try txn.get(databases.merkle, $0) }.flatMap { $0.count == 32 ? Hash256(bytes: $0) : nil }
        }
        var hash = leaf
        var height = 0
        var position = index
        guard try stored(0, position) == hash else { return false }
        while position & 1 == 1, let left = stack.popLast() {
            hash = Merkle.nodeHash(left, hash)
            height += 1
            position >>= 1
            guard try stored(height, position) == hash else { return false }
        }
        stack.append(hash)
        return true
    }

    /// Adds the leaves of records the tree does not have yet — a ledger made before the tree existed,
    /// or appended to by an older build — reading them from the log. Returns the tree's size.
    static func catchUp(to head: LedgerHead, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> UInt64 {
        let size = try size(in: txn, databases)
        guard size < head.position else {
            guard size == head.position else {
                throw LedgerError(.corrupt, "the Merkle tree has \(size) leaves but the log ends at position \(head.position)", detail: .damagedLog)
            }
            return size
        }
        var next = size
        try txn.withCursor(databases.log) { cursor in
            var entry = try Keys.withPosition(size + 1) { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry, next < head.position {
                guard Keys.position(current.key) == next + 1 else {
                    throw LedgerError(.corrupt, "the log has no record at position \(next + 1)", detail: .damagedLog)
                }
                try append(leaf: Merkle.leafHash(current.value), index: next, in: txn, databases)
                next += 1
                entry = try cursor.move(MDB_NEXT)
            }
        }
        guard next == head.position else {
            throw LedgerError(.corrupt, "the log ends at position \(next), before the chain head at \(head.position)", detail: .damagedLog)
        }
        return next
    }

    /// RFC 6962's MTH over leaves `start ..< start + count`, where `start` is a multiple of the
    /// largest power of two not above `count` (as every range in the RFC's recursion is).
    static func subtree(start: UInt64, count: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> Hash256 {
        if count & (count - 1) == 0 {
            return try node(height: count.trailingZeroBitCount, index: start >> UInt64(count.trailingZeroBitCount), in: txn, databases)
        }
        let k = Merkle.split(count)
        return Merkle.nodeHash(
            try subtree(start: start, count: k, in: txn, databases), try subtree(start: start + k, count: count - k, in: txn, databases))
    }

    /// The root of the tree of the first `size` leaves.
    static func root(size: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> Hash256 {
        size == 0 ? Merkle.emptyRoot : try subtree(start: 0, count: size, in: txn, databases)
    }

    /// RFC 9162's PATH(index, D[size]): the inclusion proof of leaf `index`, from the leaf up.
    static func inclusionPath(index: UInt64, size: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> [Hash256] {
        precondition(index < size)
        var nodes = [Hash256]()
        var (m, start, n) = (index, UInt64(0), size)
        while n > 1 {
            let k = Merkle.split(n)
            if m < k {
                nodes.append(try subtree(start: start + k, count: n - k, in: txn, databases))
                n = k
            } else {
                nodes.append(try subtree(start: start, count: k, in: txn, databases))
                m -= k
                start += k
                n -= k
            }
        }
        return nodes.reversed()
    }

    /// RFC 9162's PROOF(old, D[new]): the consistency proof between the trees of `old` and `new` leaves.
    static func consistencyProof(old: UInt64, new: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> [Hash256] {
        precondition(old <= new)
        guard old > 0, old < new else { return [] }
        var nodes = [Hash256]()
        var (m, start, n, complete) = (old, UInt64(0), new, true)
        while m != n {
            let k = Merkle.split(n)
            if m <= k {
                nodes.append(try subtree(start: start + k, count: n - k, in: txn, databases))
                n = k
            } else {
                nodes.append(try subtree(start: start, count: k, in: txn, databases))
                m -= k
                start += k
                n -= k
                complete = false
            }
        }
        if !complete {
            nodes.append(try subtree(start: start, count: m, in: txn, databases))
        }
        return nodes.reversed()
    }

    /// The roots of the complete subtrees of the first `size` leaves, largest first: what a
    /// verifier needs to continue that tree (see `MerkleFrontier`).
    static func frontier(size: UInt64, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> [Hash256] {
        var hashes = [Hash256]()
        var start: UInt64 = 0
        for height in (0..<64).reversed() where size & (UInt64(1) << height) != 0 {
            hashes.append(try node(height: height, index: start >> UInt64(height), in: txn, databases))
            start += UInt64(1) << height
        }
        return hashes
    }
}
