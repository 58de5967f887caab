import CLMDB
import LedgerModel

/// Where a projection has got to: the version of its code and the last position folded in.
public struct ProjectionCheckpoint: Sendable, Hashable {
    public var version: UInt32
    public var position: UInt64

    public init(version: UInt32, position: UInt64) {
        self.version = version
        self.position = position
    }
}

/// A stored projection state or checkpoint that fails its checksum, or a projection whose states
/// do not add up to what its checkpoint record says (a state lost, or moved to another key).
///
/// Projections are derived data: the cure is to rebuild from the log, never to use the bytes.
public struct ProjectionDamage: Error, Sendable, CustomStringConvertible {
    /// The projection's name.
    public var projection: String
    /// The key whose state is damaged, when the damage is in one state.
    public var key: String?
    /// What is wrong, in a few words.
    public var reason: String

    public init(projection: String, key: String?, reason: String) {
        self.projection = projection
        self.key = key
        self.reason = reason
    }

    public var description: String {
        key.map { "the stored state of \(MessageText.quoted($0)) in projection \(projection) \(reason)" } ?? "projection \(projection): \(reason)"
    }
}

/// Storage for derived data (projection states and checkpoints) in the ledger's own LMDB
/// environment, outside the hash chain. States and checkpoint are written in one transaction, so a
/// crash never leaves them disagreeing. The store knows nothing of what the states mean.
///
/// Every stored state ends with an 8-byte checksum over its storage key and its bytes, and the
/// checkpoint record carries the number of states and the XOR of their checksums, with a checksum
/// of its own. So a changed byte in a state, in a key (which moves a state to another key or makes
/// one vanish) or in the checkpoint is found when the state is read or the states are enumerated.
enum ProjectionKeys {
    static func state(_ name: String, _ key: String) -> [UInt8] {
        Array(name.utf8) + [0] + Array(key.utf8)
    }

    static func prefix(_ name: String) -> [UInt8] {
        Array(name.utf8) + [0]
    }
}

/// The byte forms of stored states and checkpoint records (storage format 2; docs/architecture.md).
enum ProjectionRecords {
    /// The first byte of a checkpoint record. Format 1 was version ‖ position (12 bytes) with
    /// unchecksummed states; such a projection reads as built by no version, so it is rebuilt.
    static let storageFormat: UInt8 = 2
    static let checksumSize = 8
    static let checkpointSize = 1 + 4 + 8 + 8 + 8 + checksumSize

    /// The first 8 bytes of SHA-256 over the key's length (4 bytes), the key and the state.
    static func checksum(key: UnsafeRawBufferPointer, state: UnsafeRawBufferPointer) -> UInt64 {
        var input = [UInt8]()
        input.reserveCapacity(4 + key.count + state.count)
        withUnsafeBytes(of: UInt32(key.count).bigEndian) { input.append(contentsOf: $0) }
        input.append(contentsOf: key)
        input.append(contentsOf: state)
        return Hash256.sha256(input).withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// A state as stored: its bytes, then the checksum (big-endian).
    static func stored(key: [UInt8], state: [UInt8]) -> (value: [UInt8], checksum: UInt64) {
        let sum = key.withUnsafeBytes { key in state.withUnsafeBytes { checksum(key: key, state: $0) } }
        return (state + withUnsafeBytes(of: sum.bigEndian) { Array($0) }, sum)
    }

    /// The state bytes and stored checksum of a stored value, or nil when the checksum fails.
    static func verified(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> (state: UnsafeRawBufferPointer, checksum: UInt64)? {
        guard value.count >= checksumSize else { return nil }
        let state = UnsafeRawBufferPointer(rebasing: value[..<(value.count - checksumSize)])
        let stored = UInt64(bigEndian: value.loadUnaligned(fromByteOffset: state.count, as: UInt64.self))
        guard checksum(key: key, state: state) == stored else { return nil }
        return (state, stored)
    }

    /// The checksum a stored value carries, checked or not.
    static func storedChecksum(_ value: UnsafeRawBufferPointer) -> UInt64? {
        guard value.count >= checksumSize else { return nil }
        return UInt64(bigEndian: value.loadUnaligned(fromByteOffset: value.count - checksumSize, as: UInt64.self))
    }

    /// A checkpoint record: where the projection is, how many states it holds and their checksums' XOR.
    struct Checkpoint: Equatable {
        var checkpoint: ProjectionCheckpoint
        var count: UInt64
        var digest: UInt64

        func encoded(name: String) -> [UInt8] {
            var out = [storageFormat]
            withUnsafeBytes(of: checkpoint.version.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: checkpoint.position.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: count.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: digest.bigEndian) { out.append(contentsOf: $0) }
            let sum = Array(name.utf8).withUnsafeBytes { key in out.withUnsafeBytes { checksum(key: key, state: $0) } }
            withUnsafeBytes(of: sum.bigEndian) { out.append(contentsOf: $0) }
            return out
        }

        /// Decodes a record; a format-1 record reads as built by no version (version 0) with no states.
        init(name: String, encoded bytes: UnsafeRawBufferPointer) throws(ProjectionDamage) {
            if bytes.count == 12 {
                let position = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
                self.init(checkpoint: ProjectionCheckpoint(version: 0, position: position), count: 0, digest: 0)
                return
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[..<max(0, bytes.count - checksumSize)])
            guard bytes.count == checkpointSize, bytes[0] == storageFormat,
                Array(name.utf8).withUnsafeBytes({ checksum(key: $0, state: body) })
                    == UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: body.count, as: UInt64.self))
            else {
                throw ProjectionDamage(projection: name, key: nil, reason: "its checkpoint record fails its checksum")
            }
            self.init(
                checkpoint: ProjectionCheckpoint(
                    version: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt32.self)),
                    position: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 5, as: UInt64.self))),
                count: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 13, as: UInt64.self)),
                digest: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 21, as: UInt64.self)))
        }

        init(checkpoint: ProjectionCheckpoint, count: UInt64, digest: UInt64) {
            self.checkpoint = checkpoint
            self.count = count
            self.digest = digest
        }

        static func read(_ name: String, in txn: borrowing Transaction, _ databases: Environment.Databases) throws -> Checkpoint? {
            guard let bytes = try Array(name.utf8).withUnsafeBytes({ try txn.get(databases.projectionCheckpoints, $0) }) else { return nil }
            return try Checkpoint(name: name, encoded: bytes)
        }
    }
}

/// One stored entry of a projection as found on disk, checked or not: what `verify` compares.
public struct StoredProjectionEntry: Sendable {
    /// The key, decoded from the storage key as it is (a damaged key reads as another key).
    public var key: String
    /// The state bytes without the checksum; nil when the entry fails its checksum.
    public var state: [UInt8]?
}

extension LedgerReader {
    /// The checkpoint of a projection, or nil if it was never built. Throws ``ProjectionDamage``
    /// when the record fails its checksum.
    public func projectionCheckpoint(_ name: String) throws -> ProjectionCheckpoint? {
        try ProjectionRecords.Checkpoint.read(name, in: txn, databases)?.checkpoint
    }

    /// The stored state of one key of a projection. Throws ``ProjectionDamage`` when it fails its checksum.
    ///
    /// nil does not prove that the key has no state: a damaged key hides it. ``checkProjection(_:)``
    /// tells the two apart.
    public func projectionState(_ name: String, key: String) throws -> [UInt8]? {
        try ProjectionKeys.state(name, key).withUnsafeBytes { storageKey -> [UInt8]? in
            guard let value = try txn.get(databases.projectionStates, storageKey) else { return nil }
            guard let (state, _) = ProjectionRecords.verified(key: storageKey, value: value) else {
                throw ProjectionDamage(projection: name, key: key, reason: "fails its checksum")
            }
            return Array(state)
        }
    }

    /// Calls `body` with every key and state of a projection, in key order, until it returns false.
    ///
    /// Throws ``ProjectionDamage`` at the first state that fails its checksum, and, when every state
    /// was enumerated, if their number or their checksums disagree with the checkpoint record.
    public func forEachProjectionState(_ name: String, _ body: (String, UnsafeRawBufferPointer) throws -> Bool) throws {
        let prefix = ProjectionKeys.prefix(name)
        let expected = try ProjectionRecords.Checkpoint.read(name, in: txn, databases)
        var count: UInt64 = 0
        var digest: UInt64 = 0
        let complete = try txn.withCursor(databases.projectionStates) { cursor in
            var entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry, current.key.starts(with: prefix) {
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: current.key[prefix.count...]), as: UTF8.self)
                guard let (state, checksum) = ProjectionRecords.verified(key: current.key, value: current.value) else {
                    throw ProjectionDamage(projection: name, key: key, reason: "fails its checksum")
                }
                count += 1
                digest ^= checksum
                guard try body(key, state) else { return false }
                entry = try cursor.move(MDB_NEXT)
            }
            return true
        }
        guard complete else { return }
        let record = expected ?? ProjectionRecords.Checkpoint(checkpoint: ProjectionCheckpoint(version: 0, position: 0), count: 0, digest: 0)
        if record.count != count {
            throw ProjectionDamage(projection: name, key: nil, reason: "holds \(count) states where its checkpoint record counts \(record.count)")
        }
        if record.digest != digest {
            throw ProjectionDamage(projection: name, key: nil, reason: "its states' checksums do not add up to its checkpoint record's")
        }
    }

    /// Checks every stored state of a projection against its checksum and the checkpoint record;
    /// throws ``ProjectionDamage`` for the first disagreement.
    public func checkProjection(_ name: String) throws {
        try forEachProjectionState(name) { _, _ in true }
    }

    /// Every stored entry of a projection, in key order, with the state when it passes its checksum:
    /// for comparing what is stored with a rebuild, damage included.
    public func storedProjectionEntries(_ name: String) throws -> [StoredProjectionEntry] {
        let prefix = ProjectionKeys.prefix(name)
        var out = [StoredProjectionEntry]()
        try txn.withCursor(databases.projectionStates) { cursor in
            var entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry, current.key.starts(with: prefix) {
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: current.key[prefix.count...]), as: UTF8.self)
                out.append(StoredProjectionEntry(key: key, state: ProjectionRecords.verified(key: current.key, value: current.value).map { Array($0.state) }))
                entry = try cursor.move(MDB_NEXT)
            }
        }
        return out
    }
}

extension Ledger {
    /// Writes a projection's changed states and its new checkpoint in one durable transaction.
    ///
    /// - Parameters:
    ///   - expected: the checkpoint the states were computed from; if another writer moved it
    ///     meanwhile, nothing is written and ``LedgerError/Code/wrongExpectedVersion`` is thrown.
    ///     A reset does not look at it: it replaces whatever is stored, damaged or not.
    ///   - reset: drop every earlier state of the projection first (a rebuild).
    public func commitProjection(
        _ name: String, expected: ProjectionCheckpoint?, to checkpoint: ProjectionCheckpoint, states: [String: [UInt8]], reset: Bool
    ) throws(LedgerError) {
        guard isWritable else { throw LedgerError.notWritable(path) }
        let databases = environment.databases
        let bytes = states.reduce(0) { $0 + $1.key.utf8.count + $1.value.count + 64 }
        do {
            try environment.write(expectedBytes: bytes) { txn in
                var record = ProjectionRecords.Checkpoint(checkpoint: checkpoint, count: 0, digest: 0)
                if reset {
                    let prefix = ProjectionKeys.prefix(name)
                    try txn.withCursor(databases.projectionStates) { cursor in
                        var entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                        while let current = entry, current.key.starts(with: prefix) {
                            try check(mdb_cursor_del(cursor.handle, 0), "delete")
                            entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                        }
                    }
                } else {
                    let current = try ProjectionRecords.Checkpoint.read(name, in: txn, databases)
                    guard current?.checkpoint == expected else {
                        throw LedgerError.projectionMovedOn(name)
                    }
                    record.count = current?.count ?? 0
                    record.digest = current?.digest ?? 0
                }
                for (key, state) in states.sorted(by: { $0.key < $1.key }) {
                    let storageKey = ProjectionKeys.state(name, key)
                    if !reset, let old = try storageKey.withUnsafeBytes({ try txn.get(databases.projectionStates, $0) }) {
                        // The replaced state's checksum leaves the digest; a new key adds to the count.
                        record.digest ^= ProjectionRecords.storedChecksum(old) ?? 0
                    } else {
                        record.count += 1
                    }
                    let (value, checksum) = ProjectionRecords.stored(key: storageKey, state: state)
                    record.digest ^= checksum
                    try txn.put(databases.projectionStates, storageKey, value)
                }
                try txn.put(databases.projectionCheckpoints, Array(name.utf8), record.encoded(name: name))
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as LMDBError {
            throw error.ledgerError
        } catch let error as ProjectionDamage {
            throw LedgerError(.corrupt, "\(error)", detail: .damagedProjection, ledgerPath: path, cause: error)
        } catch {
            throw LedgerError(.storage, "cannot store projection \(name): \(error)")
        }
    }
}
