import CLMDB

/// An open LMDB transaction. It must be used, committed or aborted on the thread that began it and
/// must not escape the closure it was handed to, so it is neither Sendable nor copyable.
struct Transaction: ~Copyable {
    let handle: OpaquePointer

    /// The value under `key`, as a view into the memory map valid until the transaction ends.
    func get(_ database: MDB_dbi, _ key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        let code = mdb_get(handle, database, &keyValue, &value)
        if code == LMDBError.notFound { return nil }
        try check(code, "read")
        return UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
    }

    /// Stores `value` under `key`, replacing any value there.
    func put(_ database: MDB_dbi, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(handle, database, &keyValue, &dataValue, 0), "write")
    }

    /// Stores `value` under `key`, replacing any value there.
    func put(_ database: MDB_dbi, _ key: [UInt8], _ value: [UInt8]) throws {
        try key.withUnsafeBytes { key in
            try value.withUnsafeBytes { value in try put(database, key, value) }
        }
    }

    /// Stores `value` under `key` unless the key exists (`MDB_NOOVERWRITE`); false when it does.
    func insert(_ database: MDB_dbi, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let code = mdb_put(handle, database, &keyValue, &dataValue, UInt32(MDB_NOOVERWRITE))
        if code == LMDBError.keyExists { return false }
        try check(code, "write")
        return true
    }

    /// Deletes the entry under `key`; nothing happens when there is none.
    func delete(_ database: MDB_dbi, _ key: UnsafeRawBufferPointer) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let code = mdb_del(handle, database, &keyValue, nil)
        if code == LMDBError.notFound { return }
        try check(code, "delete")
    }

    /// Deletes every entry of a database, keeping the database.
    func drop(_ database: MDB_dbi) throws(LMDBError) {
        try check(mdb_drop(handle, database, 0), "empty a table")
    }

    /// The number of entries in a database.
    func count(_ database: MDB_dbi) throws(LMDBError) -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database, &stat), "stat")
        return stat.ms_entries
    }

    /// Runs `body` with a cursor on `database`, closed afterwards.
    func withCursor<Result, Failure: Error>(
        _ database: MDB_dbi, _ body: (inout Cursor) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var pointer: OpaquePointer?
        let code = mdb_cursor_open(handle, database, &pointer)
        guard code == 0, let pointer else {
            // Opening a cursor only fails on a bad handle, which is a bug in this module.
            preconditionFailure("mdb_cursor_open failed: \(LMDBError(code: code, operation: "cursor"))")
        }
        var cursor = Cursor(handle: pointer)
        defer { mdb_cursor_close(pointer) }
        return try body(&cursor)
    }
}

/// A position in a database's sorted keys.
struct Cursor: ~Copyable {
    let handle: OpaquePointer

    typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Moves the cursor; nil when there is no such entry.
    func move(_ operation: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var keyValue = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var value = MDB_val()
        let code = mdb_cursor_get(handle, &keyValue, &value, operation)
        if code == LMDBError.notFound { return nil }
        try check(code, "cursor")
        return (
            UnsafeRawBufferPointer(start: keyValue.mv_data, count: keyValue.mv_size),
            UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
        )
    }

    /// Stores through the cursor; `MDB_APPEND` makes an append at the end cheap.
    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, flags: Int32) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_cursor_put(handle, &keyValue, &dataValue, UInt32(bitPattern: flags)), "write")
    }
}
