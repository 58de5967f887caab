import CLMDB
import LedgerModel

/// A small key–value table in the ledger's environment, outside the hash chain: what the layers
/// above keep beside the log and cannot rebuild from it (the access tokens' hashes, for one). The
/// store knows nothing of what keys and values mean.
///
/// Reads are snapshots; each write is one durable transaction. A ledger made before the table
/// existed reads as having no settings until it is first opened for writing, which makes the table.
extension Ledger {
    /// The longest key, in UTF-8 bytes (LMDB's limit on a key).
    public static let maximumSettingKeyBytes = 511

    /// The value stored under `key`, or nil when there is none.
    public func setting(_ key: String) throws(LedgerError) -> [UInt8]? {
        try Self.checkSettingKey(key)
        return try readSettings { txn, settings in
            try Array(key.utf8).withUnsafeBytes { try txn.get(settings, $0) }.map { Array($0) }
        } ?? nil
    }

    /// Every key that starts with `prefix` and its value, in the byte order of the keys; the empty
    /// prefix gives them all.
    public func settings(withPrefix prefix: String) throws(LedgerError) -> [(key: String, value: [UInt8])] {
        let start = Array(prefix.utf8)
        return try readSettings { txn, settings in
            try txn.withCursor(settings) { cursor in
                var found = [(key: String, value: [UInt8])]()
                var entry = try start.isEmpty ? cursor.move(MDB_FIRST) : start.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                while let current = entry, current.key.starts(with: start) {
                    found.append((String(decoding: current.key, as: UTF8.self), Array(current.value)))
                    entry = try cursor.move(MDB_NEXT)
                }
                return found
            }
        } ?? []
    }

    /// Stores `value` under `key`, replacing what was there; nil deletes the key (nothing happens
    /// when there is none). Returns once the change is durably committed: for a mirror, in the
    /// shared log's settings, which every mirror copies, and in this one.
    public func setSetting(_ key: String, _ value: [UInt8]?) async throws(LedgerError) {
        try Self.checkSettingKey(key)
        guard isWritable, environment.databases.settings != nil else { throw LedgerError.notWritable(path) }
        if mirrorOf != nil { try await upstreamForWriting().setSetting(key, value) }
        try writeSettings(replacingAll: false, [(key, value)])
    }

    /// Makes a mirror's settings those of the shared log: every other key is deleted.
    package func replaceSettings(with all: [(key: String, value: [UInt8])]) throws(LedgerError) {
        guard isWritable, environment.databases.settings != nil else { throw LedgerError.notWritable(path) }
        try writeSettings(replacingAll: true, all.map { ($0.key, $0.value) })
    }

    /// Puts (or, for nil, deletes) the given keys in one durable transaction, after deleting every
    /// key when `replacingAll`.
    private func writeSettings(replacingAll: Bool, _ changes: [(key: String, value: [UInt8]?)]) throws(LedgerError) {
        guard let settings = environment.databases.settings else { throw LedgerError.notWritable(path) }
        let key = changes.count == 1 ? changes[0].key : "(all)"
        do {
            try environment.write(expectedBytes: changes.reduce(64) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) + 64 }) { txn in
                if replacingAll { try txn.drop(settings) }
                for (key, value) in changes {
                    if let value {
                        try txn.put(settings, Array(key.utf8), value)
                    } else {
                        try Array(key.utf8).withUnsafeBytes { try txn.delete(settings, $0) }
                    }
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as LMDBError {
            throw error.ledgerError
        } catch {
            throw LedgerError(.storage, "cannot store the setting \(MessageText.quoted(key)): \(error)")
        }
    }

    /// Runs `body` in a snapshot with the settings table; nil when the ledger has none yet.
    private func readSettings<Result>(_ body: (borrowing Transaction, MDB_dbi) throws -> Result) throws(LedgerError) -> Result? {
        guard let settings = environment.databases.settings else { return nil }
        do {
            return try environment.read { txn in try body(txn, settings) }
        } catch let error as LMDBError {
            throw error.readError(path: path)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "cannot read the settings of the ledger at \(path): \(error)")
        }
    }

    private static func checkSettingKey(_ key: String) throws(LedgerError) {
        guard !key.isEmpty, key.utf8.count <= maximumSettingKeyBytes else {
            throw LedgerError(.invalidInput, "a setting's key must be 1 to \(maximumSettingKeyBytes) bytes of UTF-8, not \(key.utf8.count); nothing was written")
        }
    }
}
