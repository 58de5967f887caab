import CLMDB

/// Where a projection has got to: the version of its code and the last position folded in.
public struct ProjectionCheckpoint: Sendable, Hashable {
    public var version: UInt32
    public var position: UInt64

    public init(version: UInt32, position: UInt64) {
        self.version = version
        self.position = position
    }

    var encoded: [UInt8] {
        withUnsafeBytes(of: version.bigEndian) { Array($0) } + withUnsafeBytes(of: position.bigEndian) { Array($0) }
    }

    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 12 else { return nil }
        version = UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))
        position = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
    }
}

/// Storage for derived data (projection states and checkpoints) in the ledger's own LMDB
/// environment, outside the hash chain. States and checkpoint are written in one transaction, so a
/// crash never leaves them disagreeing. The store knows nothing of what the states mean.
enum ProjectionKeys {
    static func state(_ name: String, _ key: String) -> [UInt8] {
        Array(name.utf8) + [0] + Array(key.utf8)
    }

    static func prefix(_ name: String) -> [UInt8] {
        Array(name.utf8) + [0]
    }
}

extension LedgerReader {
    /// The checkpoint of a projection, or nil if it was never built.
    public func projectionCheckpoint(_ name: String) throws -> ProjectionCheckpoint? {
        guard let bytes = try Array(name.utf8).withUnsafeBytes({ try txn.get(databases.projectionCheckpoints, $0) }) else { return nil }
        return ProjectionCheckpoint(encoded: bytes)
    }

    /// The stored state of one key of a projection.
    public func projectionState(_ name: String, key: String) throws -> [UInt8]? {
        try ProjectionKeys.state(name, key).withUnsafeBytes { try txn.get(databases.projectionStates, $0).map { Array($0) } }
    }

    /// Calls `body` with every key and state of a projection, in key order, until it returns false.
    public func forEachProjectionState(_ name: String, _ body: (String, UnsafeRawBufferPointer) throws -> Bool) throws {
        let prefix = ProjectionKeys.prefix(name)
        try txn.withCursor(databases.projectionStates) { cursor in
            var entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = entry, current.key.starts(with: prefix) {
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: current.key[prefix.count...]), as: UTF8.self)
                guard try body(key, current.value) else { return }
                entry = try cursor.move(MDB_NEXT)
            }
        }
    }
}

extension Ledger {
    /// Writes a projection's changed states and its new checkpoint in one durable transaction.
    ///
    /// - Parameters:
    ///   - expected: the checkpoint the states were computed from; if another writer moved it
    ///     meanwhile, nothing is written and ``LedgerError/Code/wrongExpectedVersion`` is thrown.
    ///   - reset: drop every earlier state of the projection first (a rebuild).
    public func commitProjection(
        _ name: String, expected: ProjectionCheckpoint?, to checkpoint: ProjectionCheckpoint, states: [String: [UInt8]], reset: Bool
    ) throws(LedgerError) {
        let databases = environment.databases
        let bytes = states.reduce(0) { $0 + $1.key.utf8.count + $1.value.count + 64 }
        do {
            try environment.write(expectedBytes: bytes) { txn in
                let current = try Array(name.utf8).withUnsafeBytes { try txn.get(databases.projectionCheckpoints, $0) }
                    .flatMap(ProjectionCheckpoint.init(encoded:))
                guard current == expected else {
                    throw LedgerError(.wrongExpectedVersion, "projection \(name) was moved on by another process meanwhile")
                }
                if reset {
                    let prefix = ProjectionKeys.prefix(name)
                    try txn.withCursor(databases.projectionStates) { cursor in
                        var entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                        while let current = entry, current.key.starts(with: prefix) {
                            try check(mdb_cursor_del(cursor.handle, 0), "delete")
                            entry = try prefix.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                        }
                    }
                }
                for (key, state) in states.sorted(by: { $0.key < $1.key }) {
                    try txn.put(databases.projectionStates, ProjectionKeys.state(name, key), state)
                }
                try txn.put(databases.projectionCheckpoints, Array(name.utf8), checkpoint.encoded)
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as LMDBError {
            throw error.ledgerError
        } catch {
            throw LedgerError(.storage, "cannot store projection \(name): \(error)")
        }
    }
}
