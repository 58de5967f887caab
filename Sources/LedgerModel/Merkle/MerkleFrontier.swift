/// A tree built leaf by leaf in O(log n) memory: the roots of its complete subtrees, largest first.
///
/// This is how a verifier recomputes the root of a whole export without holding it, and how an
/// incremental export continues the tree of an earlier checkpoint from that tree's subtree roots.
public struct MerkleFrontier: Sendable, Equatable {
    /// The complete subtrees, largest (leftmost) first: their heights and root hashes.
    public private(set) var subtrees: [(height: Int, hash: Hash256)] = []
    /// How many leaves have been added.
    public private(set) var size: UInt64 = 0

    public init() {}

    /// Continues a tree of `size` leaves whose complete-subtree roots, largest first, are `hashes`
    /// (one per bit set in `size`, as ``MerkleFrontier/subtrees`` lists them).
    public init(size: UInt64, hashes: [Hash256]) throws(MerkleProofError) {
        guard hashes.count == size.nonzeroBitCount else {
            throw MerkleProofError("a tree of \(size) leaves has \(size.nonzeroBitCount) complete subtrees, not \(hashes.count)")
        }
        var heights = [Int]()
        for bit in (0..<64).reversed() where size & (UInt64(1) << bit) != 0 { heights.append(bit) }
        subtrees = zip(heights, hashes).map { (height: $0, hash: $1) }
        self.size = size
    }

    /// Adds the next leaf by its leaf hash.
    public mutating func append(leaf: Hash256) {
        var hash = leaf
        var height = 0
        while let last = subtrees.last, last.height == height {
            subtrees.removeLast()
            hash = Merkle.nodeHash(last.hash, hash)
            height += 1
        }
        subtrees.append((height: height, hash: hash))
        size += 1
    }

    /// The root hash of the tree so far (RFC 6962's MTH).
    public var root: Hash256 {
        guard var hash = subtrees.last?.hash else { return Merkle.emptyRoot }
        for subtree in subtrees.dropLast().reversed() {
            hash = Merkle.nodeHash(subtree.hash, hash)
        }
        return hash
    }

    public static func == (lhs: MerkleFrontier, rhs: MerkleFrontier) -> Bool {
        lhs.size == rhs.size && lhs.subtrees.map(\.hash) == rhs.subtrees.map(\.hash)
    }
}
