import CLMDB
public import LedgerModel

/// A Merkle tree size and its root: what a checkpoint signs.
public struct TreeHead: Sendable, Hashable {
    public var size: UInt64
    public var root: Hash256

    public init(size: UInt64, root: Hash256) {
        self.size = size
        self.root = root
    }

    static let encodedSize = 40

    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.encodedSize else { return nil }
        size = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        root = Hash256(bytes: bytes, offset: 8)
    }

    var encoded: [UInt8] {
        var out = [UInt8]()
        withUnsafeBytes(of: size.bigEndian) { out.append(contentsOf: $0) }
        root.append(to: &out)
        return out
    }
}

extension Ledger {
    /// Builds the part of the Merkle tree the log has and the tree lacks, in one write transaction.
    ///
    /// A ledger made before the tree existed gets its whole tree the first time this build opens
    /// it; afterwards every append keeps the tree up to date itself, so this only reads two keys.
    /// A tree longer than the log is left alone: that is damage for `verify` to report.
    func bringMerkleTreeUpToDate() throws(LedgerError) {
        let databases = environment.databases
        do {
            let (size, head) = try environment.read { txn in
                (try MerkleStorage.size(in: txn, databases), try AppendTransaction.head(in: txn, databases))
            }
            guard size < head.position else { return }
            try environment.write(expectedBytes: Int(head.position - min(size, head.position)) * 160) { txn in
                _ = try MerkleStorage.catchUp(to: try AppendTransaction.head(in: txn, databases), in: txn, databases)
            }
        } catch {
            throw GroupCommitter.ledgerError(error)
        }
    }

    /// The tree head of the whole log, to be signed: records it as the last signed tree head and
    /// returns it, or refuses when it would disagree with the tree head signed before.
    ///
    /// For an append-only tree "agree" means: never a smaller size, and the earlier size's root,
    /// recomputed from today's tree, is still the root that was signed. So the ledger never signs
    /// two checkpoints that no consistency proof could join.
    ///
    /// `remembered` is a tree head signed before and kept outside this ledger's files (beside the
    /// signing key): a copy of `data.mdb` restored from before it cannot see it. When the log is
    /// not an extension of it — smaller, or its first `remembered.size` events have another root —
    /// this throws ``LedgerError/Code/rolledBack`` and writes nothing.
    ///
    /// On a ledger open for reading only, the same checks are made and the tree head returned, but
    /// it cannot be recorded in the ledger.
    public func treeHeadForSigning(extending remembered: TreeHead? = nil) throws(LedgerError) -> TreeHead {
        let databases = environment.databases
        do {
            guard isWritable else {
                return try environment.read { txn in
                    let head = try AppendTransaction.head(in: txn, databases)
                    let size = try MerkleStorage.size(in: txn, databases)
                    guard size >= head.position else {
                        throw LedgerError(.permissionDenied, "the ledger at \(path) was made by an older build and its Merkle tree is not built yet, which needs write access; nothing was signed — ask for write access to \(path), or open it once as its owner")
                    }
                    return try Self.checkedTreeHead(size: head.position, extending: remembered, in: txn, databases)
                }
            }
            return try environment.write(expectedBytes: 4096) { txn in
                let head = try AppendTransaction.head(in: txn, databases)
                let size = try MerkleStorage.catchUp(to: head, in: txn, databases)
                let current = try Self.checkedTreeHead(size: size, extending: remembered, in: txn, databases)
                try txn.put(databases.meta, Keys.Meta.signedTreeHead, current.encoded)
                return current
            }
        } catch {
            throw GroupCommitter.ledgerError(error)
        }
    }

    /// The tree head of the first `size` events, when it extends the last one signed in this ledger
    /// and `remembered`, the one remembered beside the signing key.
    private static func checkedTreeHead(
        size: UInt64, extending remembered: TreeHead?, in txn: borrowing Transaction, _ databases: Environment.Databases
    ) throws -> TreeHead {
        let current = TreeHead(size: size, root: try MerkleStorage.root(size: size, in: txn, databases))
        if let last = try signedTreeHead(in: txn, databases) {
            guard last.size <= current.size else {
                throw LedgerError(.corrupt, "the ledger signed a checkpoint of \(last.size) events but now holds \(current.size); refusing to sign a smaller log", detail: .contradictsSignedCheckpoint)
            }
            let rootThen = try MerkleStorage.root(size: last.size, in: txn, databases)
            guard rootThen == last.root else {
                throw LedgerError(.corrupt, "the first \(last.size) events no longer have the root that was signed (\(last.root.hex)); refusing to sign a checkpoint that contradicts it", detail: .contradictsSignedCheckpoint)
            }
        }
        if let remembered {
            guard remembered.size <= current.size else {
                throw LedgerError(
                    .rolledBack,
                    "the ledger was rolled back or replaced: it holds \(current.size) events, but a checkpoint of \(remembered.size) events was signed before; nothing was signed")
            }
            guard try MerkleStorage.root(size: remembered.size, in: txn, databases) == remembered.root else {
                throw LedgerError(
                    .rolledBack,
                    "the ledger was rolled back or replaced: its first \(remembered.size) events do not have the root of the checkpoint of \(remembered.size) events signed before (\(remembered.root.hex)); nothing was signed")
            }
        }
        return current
    }

    static func signedTreeHead(in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> TreeHead? {
        guard let bytes = try Keys.Meta.signedTreeHead.withUnsafeBytes({ try txn.get(databases.meta, $0) }) else { return nil }
        guard let head = TreeHead(encoded: bytes) else {
            throw LedgerError(.corrupt, "the ledger's record of its last signed checkpoint is damaged")
        }
        return head
    }
}

extension LedgerReader {
    /// The number of leaves in the Merkle tree (equal to the number of events once the tree is up to date).
    public func treeSize() throws -> UInt64 {
        try MerkleStorage.size(in: txn, databases)
    }

    /// The tree head of the first `size` events.
    public func treeHead(size: UInt64) throws -> TreeHead {
        try checkSize(size)
        return TreeHead(size: size, root: try MerkleStorage.root(size: size, in: txn, databases))
    }

    /// The last tree head handed out for signing, if any.
    public func lastSignedTreeHead() throws -> TreeHead? {
        try Ledger.signedTreeHead(in: txn, databases)
    }

    /// The inclusion proof of the event at `position` in the tree of the first `treeSize` events,
    /// from the leaf's sibling up.
    public func inclusionProof(position: UInt64, treeSize: UInt64) throws -> [Hash256] {
        try checkSize(treeSize)
        guard position >= 1, position <= treeSize else {
            throw LedgerError(.invalidInput, "position \(position) is not in a tree of \(treeSize) events")
        }
        return try MerkleStorage.inclusionPath(index: position - 1, size: treeSize, in: txn, databases)
    }

    /// The consistency proof between the trees of the first `oldSize` and `newSize` events.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws -> [Hash256] {
        try checkSize(newSize)
        guard oldSize <= newSize else {
            throw LedgerError(.invalidInput, "a tree of \(oldSize) events is not a prefix of one of \(newSize)")
        }
        return try MerkleStorage.consistencyProof(old: oldSize, new: newSize, in: txn, databases)
    }

    /// The roots of the complete subtrees of the first `size` events, largest first (see `MerkleFrontier`).
    public func treeFrontier(size: UInt64) throws -> [Hash256] {
        try checkSize(size)
        return try MerkleStorage.frontier(size: size, in: txn, databases)
    }

    private func checkSize(_ size: UInt64) throws {
        let available = try MerkleStorage.size(in: txn, databases)
        guard size <= available else {
            throw LedgerError(.invalidInput, "the ledger's Merkle tree has \(available) events, fewer than \(size)")
        }
    }
}
