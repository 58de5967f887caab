import CLMDB
import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// The stored Merkle tree against a naive recomputation from every record, and its proofs against
/// the independent RFC 9162 verification in LedgerModel.
@Suite struct MerkleTreeTests {
    /// Appends `count` events in batches of random sizes, over a few streams.
    static func makeLedger(count: Int, seed: UInt64) async throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock())
        var random = SeededGenerator(seed: seed)
        var number = 0
        while number < count {
            let size = min(Int.random(in: 1...9, using: &random), count - number)
            _ = try await ledger.append((number + 1...number + size).map { SampleEvents.event($0) }, to: "INC-\(number % 5)")
            number += size
        }
        return (directory, ledger)
    }

    static func leaves(_ ledger: Ledger) throws -> [Hash256] {
        try ledger.read { reader throws in
            var leaves = [Hash256]()
            try reader.forEachRecord { _, bytes in
                leaves.append(Merkle.leafHash(bytes))
                return true
            }
            return leaves
        }
    }

    @Test(arguments: [1, 2, 3, 7, 8, 9, 64, 100, 257])
    func rootsAndProofsAgreeWithANaiveTree(count: Int) async throws {
        let (_, ledger) = try await Self.makeLedger(count: count, seed: UInt64(count))
        let leaves = try Self.leaves(ledger)
        var random = SeededGenerator(seed: UInt64(count) * 31)
        try ledger.read { reader throws in
            #expect(try reader.treeSize() == UInt64(count))
            for _ in 0..<40 {
                let n = UInt64.random(in: 1...UInt64(count), using: &random)
                let m = UInt64.random(in: 0...n, using: &random)
                let head = try reader.treeHead(size: n)
                #expect(head.root == Merkle.naiveRoot(leaves[0..<Int(n)]), "root of \(n)")
                let index = UInt64.random(in: 0..<n, using: &random)
                let path = try reader.inclusionProof(position: index + 1, treeSize: n)
                try Merkle.verifyInclusion(leaf: leaves[Int(index)], index: index, treeSize: n, path: path, root: head.root)
                let old = try reader.treeHead(size: m)
                let proof = try reader.consistencyProof(from: m, to: n)
                try Merkle.verifyConsistency(oldSize: m, oldRoot: old.root, newSize: n, newRoot: head.root, proof: proof)
                var frontier = try MerkleFrontier(size: m, hashes: try reader.treeFrontier(size: m))
                #expect(frontier.root == old.root)
                for leaf in leaves[Int(m)..<Int(n)] { frontier.append(leaf: leaf) }
                #expect(frontier.root == head.root)
                // Every single step matters: a forged hash anywhere in either proof is refused.
                for step in path.indices {
                    var forged = path
                    forged[step] = Hash256.sha256(Array("forged".utf8))
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyInclusion(leaf: leaves[Int(index)], index: index, treeSize: n, path: forged, root: head.root)
                    }
                }
                for step in proof.indices {
                    var forged = proof
                    forged[step] = Hash256.sha256(Array("forged".utf8))
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyConsistency(oldSize: m, oldRoot: old.root, newSize: n, newRoot: head.root, proof: forged)
                    }
                }
            }
        }
    }

    @Test func postorderPositionsFollowTheOrderOfAppends() {
        // Leaves 0, 1, their parent, leaves 2, 3, their parent, the parent of both, leaf 4 …
        let order = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0), (0, 4)]
        #expect(order.map { MerkleStorage.postorder(height: $0.0, index: UInt64($0.1)) } == Array(0..<8))
    }

    @Test func aLedgerWithoutATreeGetsOneWhenOpened() async throws {
        let directory: TemporaryDirectory
        let root: Hash256
        do {
            let (made, ledger) = try await Self.makeLedger(count: 45, seed: 4)
            directory = made
            root = try ledger.read { reader throws in try reader.treeHead(size: 45).root }
        }
        // As a ledger made before the tree existed: no merkle database at all.
        try RawLMDB.withDatabase(directory.path, "merkle") { txn, dbi in
            #expect(mdb_drop(txn, dbi, 1) == 0)
        }
        let reopened = try Ledger.open(at: directory.path)
        try reopened.read { reader throws in
            #expect(try reader.treeSize() == 45)
            #expect(try reader.treeHead(size: 45).root == root)
        }
        _ = try await reopened.append([SampleEvents.event(99)], to: "INC-9")
        #expect(try reopened.read { reader throws in try reader.treeHead(size: 46).root } == Merkle.naiveRoot(try Self.leaves(reopened)[...]))
    }

    @Test func theLedgerNeverSignsTwoTreeHeadsThatDisagree() async throws {
        let directory: TemporaryDirectory
        do {
            let (made, ledger) = try await Self.makeLedger(count: 20, seed: 5)
            directory = made
            let first = try ledger.treeHeadForSigning()
            #expect(first.size == 20)
            #expect(try ledger.treeHeadForSigning() == first)
            _ = try await ledger.append([SampleEvents.event(50)], to: "INC-1")
            let second = try ledger.treeHeadForSigning()
            #expect(second.size == 21)
        }
        // The remembered tree head claims more events than the log has: refuse to sign a smaller log.
        let key = Array("signed-tree-head".utf8)
        try RawLMDB.modify(directory.path, database: "meta", key: key) { bytes in bytes[7] = 99 }
        #expect { try Ledger.open(at: directory.path).treeHeadForSigning() } throws: { error in
            (error as? LedgerError)?.message.contains("refusing to sign a smaller log") == true
        }
        // The remembered root differs from the log's: refuse to sign a contradicting checkpoint.
        try RawLMDB.modify(directory.path, database: "meta", key: key) { bytes in
            bytes[7] = 21
            bytes[20] ^= 1
        }
        #expect { try Ledger.open(at: directory.path).treeHeadForSigning() } throws: { error in
            (error as? LedgerError)?.message.contains("no longer have the root that was signed") == true
        }
    }
}

extension MerkleTreeTests {
    /// A tree head remembered outside the ledger (beside the key) that the log does not extend —
    /// larger, or of a size whose root differs — is refused as a rollback; a prefix of the log, or
    /// the log itself, is extended and signs.
    @Test func aRememberedTreeHeadTheLogDoesNotExtendIsARollback() async throws {
        let (directory, ledger) = try await Self.makeLedger(count: 12, seed: 8)
        let signed = try ledger.treeHeadForSigning()
        let prefix = try ledger.read { reader throws in try reader.treeHead(size: 7) }
        #expect(try ledger.treeHeadForSigning(extending: prefix) == signed)
        #expect(try ledger.treeHeadForSigning(extending: signed) == signed)
        var other = prefix
        other.root = Hash256.sha256(Array("another log".utf8))
        let larger = TreeHead(size: 13, root: signed.root)
        for remembered in [other, larger] {
            #expect { try ledger.treeHeadForSigning(extending: remembered) } throws: { error in
                (error as? LedgerError)?.code == .rolledBack && (error as? LedgerError)?.message.contains("rolled back or replaced") == true
            }
        }
        _ = try await ledger.append([SampleEvents.event(60)], to: "INC-1")
        #expect(try ledger.treeHeadForSigning(extending: signed).size == 13)
        withExtendedLifetime(directory) {}
    }

    @Test func verifyFindsADamagedTree() async throws {
        let directory: TemporaryDirectory
        do {
            let (made, ledger) = try await Self.makeLedger(count: 12, seed: 6)
            directory = made
            #expect(try ledger.verify().isIntact)
        }
        // The subtree of leaves 4–7 (height 2, index 1; post-order position 13) altered.
        #expect(MerkleStorage.postorder(height: 2, index: 1) == 13)
        try RawLMDB.modify(directory.path, database: "merkle", key: RawLMDB.positionKey(13)) { bytes in bytes[0] ^= 1 }
        let report = try Ledger.open(at: directory.path).verify()
        #expect(report.problem?.reason.contains("does not match the records") == true, "\(String(describing: report.problem))")
    }
}
