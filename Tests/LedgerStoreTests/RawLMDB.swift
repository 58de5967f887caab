import CLMDB
import Foundation

/// Direct access to a ledger's LMDB files, bypassing the ledger, to damage them the way a disk
/// fault or a tamperer would.
enum RawLMDB {
    /// Opens `path`, runs `body` in a write transaction on the named database, and commits.
    static func withDatabase(_ path: String, _ name: String?, create: Bool = false, _ body: (OpaquePointer, MDB_dbi) throws -> Void) throws {
        var env: OpaquePointer?
        precondition(mdb_env_create(&env) == 0)
        defer { mdb_env_close(env) }
        mdb_env_set_maxdbs(env, 8)
        mdb_env_set_mapsize(env, 1 << 30)
        let opened = mdb_env_open(env, path, 0, 0o644)
        guard opened == 0 else { throw NSError(domain: "lmdb", code: Int(opened)) }
        var txn: OpaquePointer?
        precondition(mdb_txn_begin(env, nil, 0, &txn) == 0)
        var dbi: MDB_dbi = 0
        precondition(mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi) == 0)
        try body(txn!, dbi)
        precondition(mdb_txn_commit(txn) == 0)
    }

    /// Replaces the value under `key` with `transform` of it.
    static func modify(_ path: String, database: String, key: [UInt8], _ transform: (inout [UInt8]) -> Void) throws {
        try withDatabase(path, database) { txn, dbi in
            try key.withUnsafeBytes { keyBytes in
                var keyValue = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var value = MDB_val()
                guard mdb_get(txn, dbi, &keyValue, &value) == 0 else { throw NSError(domain: "lmdb", code: 1) }
                var bytes = [UInt8](UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                transform(&bytes)
                try bytes.withUnsafeBytes { newBytes in
                    var newValue = MDB_val(mv_size: newBytes.count, mv_data: UnsafeMutableRawPointer(mutating: newBytes.baseAddress))
                    guard mdb_put(txn, dbi, &keyValue, &newValue, 0) == 0 else { throw NSError(domain: "lmdb", code: 2) }
                }
            }
        }
    }

    /// Deletes the entry under `key`.
    static func delete(_ path: String, database: String, key: [UInt8]) throws {
        try withDatabase(path, database) { txn, dbi in
            key.withUnsafeBytes { keyBytes in
                var keyValue = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                precondition(mdb_del(txn, dbi, &keyValue, nil) == 0)
            }
        }
    }

    /// Opens the environment at `path` and runs `body` with it, without any transaction or reader check.
    static func withEnvironment(_ path: String, _ body: (OpaquePointer) throws -> Void) throws {
        var env: OpaquePointer?
        precondition(mdb_env_create(&env) == 0)
        defer { mdb_env_close(env) }
        mdb_env_set_maxdbs(env, 8)
        let opened = mdb_env_open(env, path, UInt32(MDB_NOTLS), 0o644)
        guard opened == 0 else { throw NSError(domain: "lmdb", code: Int(opened)) }
        try body(env!)
    }

    /// The slots taken in the reader table (by live or dead processes), from `mdb_reader_list`.
    static func readerCount(_ env: OpaquePointer) -> Int {
        final class Counter: @unchecked Sendable { var lines = 0 }  // used only on this thread, inside the call
        let counter = Counter()
        _ = mdb_reader_list(env, { message, context in
            let counter = Unmanaged<Counter>.fromOpaque(context!).takeUnretainedValue()
            if let message, !String(cString: message).contains("(no active readers)"), !String(cString: message).hasPrefix("    pid") {
                counter.lines += 1
            }
            return 0
        }, Unmanaged.passUnretained(counter).toOpaque())
        return counter.lines
    }

    static func positionKey(_ position: UInt64) -> [UInt8] {
        withUnsafeBytes(of: position.bigEndian) { Array($0) }
    }
}
