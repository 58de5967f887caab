/// The shared log a mirror follows (a PostgreSQL database): where a mirror's appends and setting
/// changes go, so that every process that writes the ledger writes one log.
///
/// A mirror is an LMDB ledger that holds a verbatim copy of the shared log — the same records,
/// positions and hashes — and is never appended to by itself (see ``Ledger/mirrorOf``). Everything
/// that reads the ledger reads the mirror; every write goes to the upstream, which returns once the
/// mirror holds what was written, so a writer reads its own writes.
public protocol LedgerUpstream: AnyObject, Sendable {
    /// The shared log, for messages (never with a password).
    var location: String { get }

    /// Appends the batch to the shared log atomically and returns once it is durably committed
    /// there and copied into the mirror.
    func append(_ batch: [StreamAppend]) async throws(LedgerError) -> [AppendResult]

    /// Stores `value` under `key` in the shared log's settings (nil deletes it), durably; every
    /// mirror copies it.
    func setSetting(_ key: String, _ value: [UInt8]?) async throws(LedgerError)
}
