import LedgerModel
import Testing

/// The RFC 9162 proof checks on hand-made trees: known answers, and proofs that must be refused.
@Suite struct MerkleProofTests {
    static let leaves = (0..<11).map { Merkle.leafHash(Array("leaf \($0)".utf8)) }

    @Test func theEmptyTreeAndKnownShapes() {
        #expect(Merkle.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let l = Self.leaves
        #expect(Merkle.naiveRoot(l[0..<3]) == Merkle.nodeHash(Merkle.nodeHash(l[0], l[1]), l[2]))
        var frontier = MerkleFrontier()
        for leaf in l { frontier.append(leaf: leaf) }
        #expect(frontier.root == Merkle.naiveRoot(l[...]))
        #expect(frontier.size == 11 && frontier.subtrees.map(\.height) == [3, 1, 0])
    }

    @Test func anInclusionProofForTheWrongLeafOrPlaceIsRefused() throws {
        let l = Self.leaves
        let root = Merkle.naiveRoot(l[0..<7])
        // Leaf 2 in a tree of 7: sibling 3, then node(0,1), then the right half node(node(4,5),6).
        let path = [l[3], Merkle.nodeHash(l[0], l[1]), Merkle.nodeHash(Merkle.nodeHash(l[4], l[5]), l[6])]
        try Merkle.verifyInclusion(leaf: l[2], index: 2, treeSize: 7, path: path, root: root)
        #expect(throws: MerkleProofError.self) { try Merkle.verifyInclusion(leaf: l[4], index: 2, treeSize: 7, path: path, root: root) }
        #expect(throws: MerkleProofError.self) { try Merkle.verifyInclusion(leaf: l[2], index: 3, treeSize: 7, path: path, root: root) }
        #expect(throws: MerkleProofError.self) { try Merkle.verifyInclusion(leaf: l[2], index: 2, treeSize: 7, path: Array(path.dropLast()), root: root) }
        #expect(throws: MerkleProofError.self) { try Merkle.verifyInclusion(leaf: l[2], index: 2, treeSize: 7, path: path + [l[0]], root: root) }
        #expect(throws: MerkleProofError.self) { try Merkle.verifyInclusion(leaf: l[2], index: 7, treeSize: 7, path: path, root: root) }
    }

    @Test func aConsistencyProofBetweenForkedLogsIsRefused() throws {
        let l = Self.leaves
        let forked = Array(l[0..<5]) + [Merkle.leafHash(Array("another sixth".utf8))] + Array(l[6..<11])
        // The honest proof from 6 to 11 leaves (RFC 9162's PROOF(6, D[11])).
        let proof = [
            Merkle.naiveRoot(l[4..<6]), Merkle.naiveRoot(l[6..<8]), Merkle.naiveRoot(l[0..<4]), Merkle.naiveRoot(l[8..<11]),
        ]
        try Merkle.verifyConsistency(oldSize: 6, oldRoot: Merkle.naiveRoot(l[0..<6]), newSize: 11, newRoot: Merkle.naiveRoot(l[...]), proof: proof)
        #expect(throws: MerkleProofError.self) {
            try Merkle.verifyConsistency(oldSize: 6, oldRoot: Merkle.naiveRoot(forked[0..<6]), newSize: 11, newRoot: Merkle.naiveRoot(l[...]), proof: proof)
        }
        #expect(throws: MerkleProofError.self) {
            try Merkle.verifyConsistency(oldSize: 6, oldRoot: Merkle.naiveRoot(l[0..<6]), newSize: 11, newRoot: Merkle.naiveRoot(forked[...]), proof: proof)
        }
        #expect(throws: MerkleProofError.self) {
            try Merkle.verifyConsistency(oldSize: 7, oldRoot: Merkle.naiveRoot(l[0..<7]), newSize: 6, newRoot: Merkle.naiveRoot(l[0..<6]), proof: [])
        }
    }
}
