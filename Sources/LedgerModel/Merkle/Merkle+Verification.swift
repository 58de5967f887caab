extension Merkle {
    /// Checks an inclusion proof (RFC 9162 §2.1.3.2): that the leaf with hash `leaf` stands at
    /// `index` (0-based) in the tree of `treeSize` leaves whose root is `root`.
    ///
    /// Every step of the path is hashed in; a proof of the wrong length, or one whose hashes do not
    /// lead exactly to `root`, is refused. Nothing but the leaf, the path and the root is trusted.
    public static func verifyInclusion(
        leaf: Hash256, index: UInt64, treeSize: UInt64, path: [Hash256], root: Hash256
    ) throws(MerkleProofError) {
        guard index < treeSize else {
            throw MerkleProofError("leaf index \(index) is outside a tree of \(treeSize) leaves")
        }
        var fn = index
        var sn = treeSize - 1
        var hash = leaf
        for sibling in path {
            guard sn != 0 else {
                throw MerkleProofError("the inclusion proof has \(path.count) hashes, more than a tree of \(treeSize) leaves needs at index \(index)")
            }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw MerkleProofError("the inclusion proof has \(path.count) hashes, fewer than a tree of \(treeSize) leaves needs at index \(index)")
        }
        guard hash == root else {
            throw MerkleProofError("the inclusion proof for leaf \(index) does not lead to the root \(root.hex) of the tree of \(treeSize) leaves")
        }
    }

    /// Checks a consistency proof (RFC 9162 §2.1.4.2): that the tree of `oldSize` leaves with root
    /// `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`.
    public static func verifyConsistency(
        oldSize: UInt64, oldRoot: Hash256, newSize: UInt64, newRoot: Hash256, proof: [Hash256]
    ) throws(MerkleProofError) {
        guard oldSize <= newSize else {
            throw MerkleProofError("the earlier tree (\(oldSize) leaves) is larger than the later one (\(newSize)); a log never shrinks")
        }
        if oldSize == newSize {
            guard proof.isEmpty else { throw MerkleProofError("a consistency proof between trees of the same size must be empty") }
            guard oldRoot == newRoot else {
                throw MerkleProofError("two checkpoints of the same size \(newSize) have different roots: the log was forked or rewritten")
            }
            return
        }
        if oldSize == 0 {
            guard proof.isEmpty else { throw MerkleProofError("a consistency proof from the empty tree must be empty") }
            return
        }
        var path = proof
        if oldSize & (oldSize - 1) == 0 {
            path.insert(oldRoot, at: 0)  // the old tree is a complete subtree of the new
        }
        guard let first = path.first else {
            throw MerkleProofError("the consistency proof is empty but the trees differ in size")
        }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = first
        var newHash = first
        for node in path.dropFirst() {
            guard sn != 0 else {
                throw MerkleProofError("the consistency proof from \(oldSize) to \(newSize) leaves has too many hashes")
            }
            if fn & 1 == 1 || fn == sn {
                oldHash = nodeHash(node, oldHash)
                newHash = nodeHash(node, newHash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newHash = nodeHash(newHash, node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw MerkleProofError("the consistency proof from \(oldSize) to \(newSize) leaves has too few hashes")
        }
        guard oldHash == oldRoot else {
            throw MerkleProofError("the consistency proof does not rebuild the earlier root \(oldRoot.hex) of \(oldSize) leaves: the logs differ (forked or rewritten)")
        }
        guard newHash == newRoot else {
            throw MerkleProofError("the consistency proof does not rebuild the later root \(newRoot.hex) of \(newSize) leaves: the logs differ (forked or rewritten)")
        }
    }
}
