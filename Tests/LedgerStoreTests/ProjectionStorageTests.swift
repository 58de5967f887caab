import CLMDB
import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// Stored projection states and checkpoints carry checksums, so damage to a state, a key or the
/// checkpoint record is found when it is read, never used.
@Suite struct ProjectionStorageTests {
    static let name = "test-projection"

    /// A ledger with one event and a projection of `count` states, "key-0" … .
    static func ledger(states count: Int = 5) async throws -> (TemporaryDirectory, [String: [UInt8]]) {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        let states = Dictionary(uniqueKeysWithValues: (0..<count).map { ("key-\($0)", Array("state of key \($0)".utf8)) })
        try ledger.commitProjection(name, expected: nil, to: ProjectionCheckpoint(version: 1, position: 1), states: states, reset: true)
        return (directory, states)
    }

    static func stored(_ ledger: Ledger) throws -> [String: [UInt8]] {
        try ledger.storedProjectionStates(name)
    }

    static func damage(_ work: () throws -> Void) -> ProjectionDamage? {
        do {
            try work()
            return nil
        } catch let damage as ProjectionDamage {
            return damage
        } catch {
            Issue.record("expected projection damage, got \(error)")
            return nil
        }
    }

    @Test func statesReadBackAsWrittenAndAnUpdateKeepsTheChecksumsAddingUp() async throws {
        let (directory, states) = try await Self.ledger()
        let ledger = try Ledger.open(at: directory.path)
        #expect(try Self.stored(ledger) == states)
        try ledger.commitProjection(
            Self.name, expected: ProjectionCheckpoint(version: 1, position: 1), to: ProjectionCheckpoint(version: 1, position: 1),
            states: ["key-2": Array("changed".utf8), "key-9": Array("new".utf8)], reset: false)
        var expected = states
        expected["key-2"] = Array("changed".utf8)
        expected["key-9"] = Array("new".utf8)
        #expect(try Self.stored(ledger) == expected)
        try ledger.read { reader in
            try reader.checkProjection(Self.name)
            #expect(try reader.projectionState(Self.name, key: "key-9") == Array("new".utf8))
        }
    }

    /// Every byte of a stored value (state and checksum) is covered.
    @Test func aFlippedByteInAStateIsFound() async throws {
        let (directory, states) = try await Self.ledger()
        let length = states["key-3"]!.count + 8
        for offset in 0..<length {
            try RawLMDB.modify(directory.path, database: "projection-state", key: Array("\(Self.name)\0key-3".utf8)) { $0[offset] ^= 0x10 }
            let ledger = try Ledger.open(at: directory.path)
            let found = try ledger.read { reader in Self.damage { _ = try reader.projectionState(Self.name, key: "key-3") } }
            #expect(found?.key == "key-3", "offset \(offset)")
            #expect(Self.damage { _ = try Self.stored(ledger) }?.key == "key-3", "offset \(offset)")
            try RawLMDB.modify(directory.path, database: "projection-state", key: Array("\(Self.name)\0key-3".utf8)) { $0[offset] ^= 0x10 }
        }
        #expect(try Self.stored(Ledger.open(at: directory.path)) == states)
    }

    /// A changed key moves a state under another key, or onto none: the enumeration finds it.
    @Test func aStateMovedToAnotherKeyIsFound() async throws {
        let (directory, _) = try await Self.ledger()
        let from = Array("\(Self.name)\0key-1".utf8)
        var value = [UInt8]()
        try RawLMDB.modify(directory.path, database: "projection-state", key: from) { value = $0 }
        try RawLMDB.delete(directory.path, database: "projection-state", key: from)
        try RawLMDB.withDatabase(directory.path, "projection-state") { txn, dbi in
            var key = Array("\(Self.name)\0key-7".utf8)
            try key.withUnsafeMutableBytes { keyBytes in
                try value.withUnsafeMutableBytes { valueBytes in
                    var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                    var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                    guard mdb_put(txn, dbi, &k, &v, 0) == 0 else { throw NSError(domain: "lmdb", code: 3) }
                }
            }
        }
        let ledger = try Ledger.open(at: directory.path)
        #expect(try ledger.read { try $0.projectionState(Self.name, key: "key-1") } == nil)
        #expect(try ledger.read { reader in Self.damage { try reader.checkProjection(Self.name) } }?.key == "key-7")
    }

    /// A state gone without trace leaves the count short.
    @Test func aVanishedStateIsFound() async throws {
        let (directory, _) = try await Self.ledger()
        try RawLMDB.delete(directory.path, database: "projection-state", key: Array("\(Self.name)\0key-4".utf8))
        let ledger = try Ledger.open(at: directory.path)
        let found = try ledger.read { reader in Self.damage { try reader.checkProjection(Self.name) } }
        #expect(found?.reason.contains("holds 4 states where its checkpoint record counts 5") == true, "\(String(describing: found))")
    }

    @Test func aFlippedByteInTheCheckpointRecordIsFound() async throws {
        let (directory, _) = try await Self.ledger()
        for offset in 0..<37 {
            try RawLMDB.modify(directory.path, database: "projection-checkpoint", key: Array(Self.name.utf8)) { $0[offset] ^= 0x04 }
            let ledger = try Ledger.open(at: directory.path)
            #expect(try ledger.read { reader in Self.damage { _ = try reader.projectionCheckpoint(Self.name) } } != nil, "offset \(offset)")
            try RawLMDB.modify(directory.path, database: "projection-checkpoint", key: Array(Self.name.utf8)) { $0[offset] ^= 0x04 }
        }
    }

    /// Storage format 1 (version ‖ position, unchecksummed states) reads as built by no version,
    /// which makes the runner rebuild it; a rebuild replaces its states.
    @Test func aFormatOneCheckpointReadsAsBuiltByNoVersion() async throws {
        let (directory, _) = try await Self.ledger()
        try RawLMDB.modify(directory.path, database: "projection-checkpoint", key: Array(Self.name.utf8)) { bytes in
            bytes = [0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0, 1]
        }
        let ledger = try Ledger.open(at: directory.path)
        #expect(try ledger.read { try $0.projectionCheckpoint(Self.name) } == ProjectionCheckpoint(version: 0, position: 1))
        try ledger.commitProjection(Self.name, expected: nil, to: ProjectionCheckpoint(version: 1, position: 1), states: ["a": [1]], reset: true)
        #expect(try Self.stored(ledger) == ["a": [1]])
    }
}
