import CLMDB
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One open LMDB environment with the ledger's databases, and the rules for using it safely:
/// read transactions through ``read(_:)``, write transactions through ``write(expectedBytes:_:)``,
/// and a memory map that grows by itself.
///
/// `@unchecked Sendable`: an LMDB environment may be shared by threads (it is opened with
/// `MDB_NOTLS`, so read transactions are not tied to threads); every transaction is confined to the
/// closure and thread that began it, and the map is only resized under ``ResizeLock``'s exclusive side.
final class Environment: @unchecked Sendable {
    /// The named databases inside the environment.
    struct Databases {
        /// position (8 bytes, big-endian) → record.
        var log: MDB_dbi
        /// stream id ‖ 0x00 ‖ stream version (8 bytes, big-endian) → position.
        var streams: MDB_dbi
        /// event id (16 bytes) → position.
        var ids: MDB_dbi
        /// metadata: format version, ledger id, chain head.
        var meta: MDB_dbi
        /// Derived data, outside the hash chain: projection name ‖ 0x00 ‖ key → state.
        var projectionStates: MDB_dbi
        /// projection name → version (4 bytes) ‖ checkpoint position (8 bytes).
        var projectionCheckpoints: MDB_dbi
        /// The Merkle tree over the log: height (1 byte) ‖ index (8 bytes, big-endian) → the hash of
        /// that complete subtree (see `MerkleStorage`).
        var merkle: MDB_dbi
        /// Outside the hash chain: key → value, kept for the layers above (see `Ledger+Settings.swift`).
        /// nil on a ledger made by an older build and opened read-only, which reads as empty.
        var settings: MDB_dbi?
    }

    static let databaseNames = (log: "log", streams: "stream-index", ids: "event-id-index", meta: "meta")
    static let projectionDatabaseNames = (states: "projection-state", checkpoints: "projection-checkpoint")
    static let settingsDatabaseName = "settings"
    /// Databases added after the first release, made the first time an older ledger is opened for
    /// writing: the two projection databases, the Merkle tree, then the settings.
    static let addedDatabaseNames = [projectionDatabaseNames.states, projectionDatabaseNames.checkpoints, "merkle", settingsDatabaseName]
    /// Added databases that a read-only open of an older ledger does without, reading them as empty.
    static let optionalDatabaseNames: Set<String> = [settingsDatabaseName]
    /// The most named databases the environment may hold: the ledger's, with room for more.
    static let maximumDatabases: UInt32 = 16
    /// The databases of derived data, outside the hash chain, which a rebuild from the log makes again.
    static let derivedDatabaseNames: Set<String> = [projectionDatabaseNames.states, projectionDatabaseNames.checkpoints]
    /// The map a new ledger starts with; it grows as the ledger grows.
    static let initialMapSize = 64 << 20

    let handle: OpaquePointer
    let databases: Databases
    let path: String
    /// The directory's canonical path: one environment per real path is open in the process (see `OpenLedgers`).
    let realPath: String
    /// How the files were opened; only ``LedgerAccess/readWrite`` allows write transactions.
    let access: LedgerAccess
    private let resizeLock = ResizeLock()
    private let logger: Logger

    private init(handle: OpaquePointer, databases: Databases, path: String, realPath: String, access: LedgerAccess, logger: Logger) {
        self.handle = handle
        self.databases = databases
        self.path = path
        self.realPath = realPath
        self.access = access
        self.logger = logger
    }

    deinit {
        LedgerMemoryFaults.forget(owner: handle)
        mdb_env_close(handle)
        OpenLedgers.shared.environmentDidClose(realPath)
    }

    /// Opens the environment in the directory `path`; with `create`, makes the databases.
    ///
    /// `access` other than ``LedgerAccess/readWrite`` opens with `MDB_RDONLY` (and, unlocked,
    /// `MDB_NOLOCK`): nothing is written to data.mdb, and every write transaction is refused.
    static func open(path: String, create: Bool, access: LedgerAccess = .readWrite, logger: Logger) throws(LMDBError) -> Environment {
        let realPath = OpenLedgers.realPath(path) ?? path
        OpenLedgers.shared.environmentWillOpen(realPath)
        var pointer: OpaquePointer?
        let created = mdb_env_create(&pointer)
        guard created == 0, let handle = pointer else {
            OpenLedgers.shared.environmentDidClose(realPath)
            throw LMDBError(code: created == 0 ? ENOMEM : created, operation: "create environment")
        }
        do {
            try check(mdb_env_set_maxdbs(handle, maximumDatabases), "configure environment")
            try check(mdb_env_set_mapsize(handle, initialMapSize), "configure environment")
            // MDB_NOTLS: read transactions belong to the closure, not the thread. No NOSYNC or
            // NOMETASYNC: a commit returns only when it is on disk.
            try check(mdb_env_open(handle, path, UInt32(MDB_NOTLS) | access.lmdbFlags, 0o644), "open \(path)")
            // Where the map is, for the memory-fault handler (see LedgerMemoryFaults).
            LedgerMemoryFaults.record(mapOf: path + "/data.mdb", owner: handle)
            var dead: Int32 = 0
            try check(mdb_reader_check(handle, &dead), "clear stale readers")
            if dead > 0 {
                logger.info("cleared stale reader slots", metadata: ["count": "\(dead)", "path": "\(path)"])
            }
            let databases = try openDatabases(handle, create: create, writable: access == .readWrite)
            return Environment(handle: handle, databases: databases, path: path, realPath: realPath, access: access, logger: logger)
        } catch {
            LedgerMemoryFaults.forget(owner: handle)
            mdb_env_close(handle)
            OpenLedgers.shared.environmentDidClose(realPath)
            throw error
        }
    }

    private static func openDatabases(_ env: OpaquePointer, create: Bool, writable: Bool) throws(LMDBError) -> Databases {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, create ? 0 : UInt32(MDB_RDONLY), &txn), "begin")
        guard let txn else { throw LMDBError(code: ENOMEM, operation: "begin") }
        let flags = UInt32(create ? MDB_CREATE : 0)
        func open(_ name: String, in txn: OpaquePointer, flags: UInt32) throws(LMDBError) -> MDB_dbi {
            var dbi: MDB_dbi = 0
            try check(mdb_dbi_open(txn, name, flags, &dbi), "open database \(name)")
            return dbi
        }
        let names = databaseNames
        let core: (MDB_dbi, MDB_dbi, MDB_dbi, MDB_dbi)
        var added = [MDB_dbi?]()
        do {
            core = (
                try open(names.log, in: txn, flags: flags), try open(names.streams, in: txn, flags: flags),
                try open(names.ids, in: txn, flags: flags), try open(names.meta, in: txn, flags: flags)
            )
            for name in addedDatabaseNames {
                do {
                    added.append(try open(name, in: txn, flags: flags))
                } catch where error.code == LMDBError.notFound {
                    added.append(nil)  // a ledger made before this database existed: created below
                }
            }
            // Database handles opened in a transaction survive only if it commits.
            try check(mdb_txn_commit(txn), "commit")
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        let missing = addedDatabaseNames.indices.filter { added[$0] == nil }
        // Read-only, an older ledger does without the optional databases (they read as empty).
        if !missing.isEmpty, writable || !missing.allSatisfy({ optionalDatabaseNames.contains(addedDatabaseNames[$0]) }) {
            // An older ledger gets its new databases with its first writable opening; read-only it cannot.
            guard writable else { throw LMDBError(code: EACCES, operation: "add the databases this build needs to a ledger made by an older build (open it once with write access)") }
            var writer: OpaquePointer?
            try check(mdb_txn_begin(env, nil, 0, &writer), "begin")
            guard let writer else { throw LMDBError(code: ENOMEM, operation: "begin") }
            do {
                for (index, name) in addedDatabaseNames.enumerated() where added[index] == nil {
                    added[index] = try open(name, in: writer, flags: UInt32(MDB_CREATE))
                }
                try check(mdb_txn_commit(writer), "commit")
            } catch {
                mdb_txn_abort(writer)
                throw error
            }
        }
        return Databases(
            log: core.0, streams: core.1, ids: core.2, meta: core.3, projectionStates: added[0]!, projectionCheckpoints: added[1]!,
            merkle: added[2]!, settings: added[3])
    }

    // MARK: Transactions

    /// Runs `body` in a read-only transaction: a consistent snapshot of the ledger.
    func read<Result>(_ body: (borrowing Transaction) throws -> Result) throws -> Result {
        while true {
            let outcome: Result? = try resizeLock.withShared { () throws -> Result? in
                var txn: OpaquePointer?
                let code = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
                if code == LMDBError.mapResized { return nil }
                try check(code, "begin read")
                let transaction = Transaction(handle: txn!)
                defer { mdb_txn_abort(txn) }
                return try body(transaction)
            }
            if let outcome { return outcome }
            try adoptMapSizeOfOtherProcess()
        }
    }

    /// Runs `body` in a write transaction and commits it durably.
    ///
    /// When the map fills, the transaction is aborted, the map grown and `body` run again from the
    /// start, so `body` must only produce its effects through the transaction and its result.
    /// Must be called on one thread from begin to commit (LMDB's rule), so it is synchronous.
    func write<Result>(expectedBytes: Int, _ body: (borrowing Transaction) throws -> Result) throws -> Result {
        guard access == .readWrite else { throw LedgerError.notWritable(path) }
        try ensureHeadroom(for: expectedBytes)
        while true {
            let attempt = try resizeLock.withShared { () throws -> WriteAttempt<Result> in
                var txn: OpaquePointer?
                let code = mdb_txn_begin(handle, nil, 0, &txn)
                if code == LMDBError.mapResized { return .resized }
                try check(code, "begin write")
                let transaction = Transaction(handle: txn!)
                let result: Result
                do {
                    result = try body(transaction)
                } catch let error as LMDBError where error.code == LMDBError.mapFull {
                    mdb_txn_abort(txn)
                    return .mapFull
                } catch {
                    mdb_txn_abort(txn)
                    throw error
                }
                let commit = mdb_txn_commit(txn)
                if commit == LMDBError.mapFull { return .mapFull }
                try check(commit, "commit")
                return .done(result)
            }
            switch attempt {
            case .done(let result): return result
            case .mapFull: try grow(toAtLeast: mapInfo().mapSize + max(expectedBytes * 2, 1 << 20))
            case .resized: try adoptMapSizeOfOtherProcess()
            }
        }
    }

    private enum WriteAttempt<Value> {
        case done(Value)
        case mapFull
        case resized
    }

    /// Runs `body` in a transaction nested in `parent`; its writes are dropped if `body` throws.
    func nested<Result>(in parent: borrowing Transaction, _ body: (borrowing Transaction) throws -> Result) throws -> Result {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, parent.handle, 0, &txn), "begin nested")
        let transaction = Transaction(handle: txn!)
        let result: Result
        do {
            result = try body(transaction)
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        try check(mdb_txn_commit(txn), "commit nested")
        return result
    }

    // MARK: The memory map

    struct MapInfo {
        var mapSize: Int
        var usedBytes: Int
        var pageSize: Int
    }

    func mapInfo() throws(LMDBError) -> MapInfo {
        var info = MDB_envinfo()
        try check(mdb_env_info(handle, &info), "environment info")
        var stat = MDB_stat()
        try check(mdb_env_stat(handle, &stat), "environment stat")
        let pageSize = Int(stat.ms_psize)
        return MapInfo(mapSize: info.me_mapsize, usedBytes: (info.me_last_pgno + 1) * pageSize, pageSize: pageSize)
    }

    /// Grows the map ahead of a write that may need `bytes` more, so most writes never hit a full map.
    private func ensureHeadroom(for bytes: Int) throws(LMDBError) {
        let info = try mapInfo()
        // Copy-on-write can touch up to about three times the new data before old pages are reused.
        let needed = info.usedBytes + bytes * 3 + (1 << 20)
        if needed > info.mapSize * 9 / 10 {
            try grow(toAtLeast: needed)
        }
    }

    /// Grows the map: doubling while small, then in steps of 4 GiB, and never below `minimum`.
    private func grow(toAtLeast minimum: Int) throws(LMDBError) {
        try resizeLock.withExclusive { () throws(LMDBError) in
            let current = try mapInfo().mapSize
            guard minimum > current * 9 / 10 else { return }  // another writer already grew it
            var size = current
            while size < minimum || size <= current {
                size += min(size, 4 << 30)
            }
            try check(mdb_env_set_mapsize(handle, size), "grow map")
            LedgerMemoryFaults.record(mapOf: path + "/data.mdb", owner: handle)
            logger.debug("grew the memory map", metadata: ["from": "\(current)", "to": "\(size)"])
        }
    }

    /// Another process grew the map: take over its size (LMDB's `MDB_MAP_RESIZED` protocol).
    private func adoptMapSizeOfOtherProcess() throws(LMDBError) {
        try resizeLock.withExclusive { () throws(LMDBError) in
            try check(mdb_env_set_mapsize(handle, 0), "adopt map size")
            LedgerMemoryFaults.record(mapOf: path + "/data.mdb", owner: handle)
        }
    }
}
