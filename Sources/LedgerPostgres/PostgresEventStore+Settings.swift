import Foundation
import LedgerModel
public import LedgerStore
import Logging
import NIOCore
import PostgresNIO

/// The settings every server shares (the LMDB ledger's settings table, in the database): access
/// tokens' hashes and webhook receivers, outside the hash chain. Mirrors copy them
/// (``PostgresMirror``); every change moves `settings_version` on and is announced on the commit
/// channel.
extension PostgresEventStore {
    /// The settings' version (moved on by every change) and every setting, in key order.
    public func settings() async throws(LedgerError) -> (version: Int64, all: [(key: String, value: [UInt8])]) {
        try await withConnection(doing: "read the settings") { connection, logger in
            // One snapshot for the version and the rows.
            try await connection.transaction(logger: logger) { connection in
                try await connection.send("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
                let version = try await connection.send("SELECT version FROM settings_version", logger: logger).first?.decode(Int64.self) ?? 0
                let all = try await connection.send("SELECT key, value FROM settings ORDER BY key", logger: logger).map { row in
                    let (key, value) = try row.decode((String, ByteBuffer).self)
                    return (key: key, value: Array(buffer: value))
                }
                return (version, all)
            }
        }
    }

    /// Stores `value` under `key` (nil deletes it), moves the version on and announces the change,
    /// in one durable transaction.
    public func setSetting(_ key: String, _ value: [UInt8]?) async throws(LedgerError) {
        try await withConnection(doing: "store the setting \(MessageText.quoted(key))") { connection, logger in
            try await connection.transaction(logger: logger) { connection in
                if let value {
                    let bytes = ByteBuffer(bytes: value)
                    try await connection.send(
                        "INSERT INTO settings (key, value) VALUES (\(key), \(bytes)) ON CONFLICT (key) DO UPDATE SET value = excluded.value", logger: logger)
                } else {
                    try await connection.send("DELETE FROM settings WHERE key = \(key)", logger: logger)
                }
                try await connection.send("UPDATE settings_version SET version = version + 1", logger: logger)
                try await connection.send("SELECT pg_notify(\(PostgresSchema.commitChannel), \(PostgresSchema.settingsAnnouncement))", logger: logger)
            }
        }
    }
}
