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
        try await reading("read the settings") { client, logger in
            try await client.withConnection { connection in
                // One snapshot for the version and the rows.
                try await connection.withTransaction(logger: logger) { connection in
                    _ = try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
                    let version = try await connection.query("SELECT version FROM settings_version", logger: logger).collect().first?.decode(Int64.self) ?? 0
                    var all = [(key: String, value: [UInt8])]()
                    for try await (key, value) in try await connection.query("SELECT key, value FROM settings ORDER BY key", logger: logger).decode((String, ByteBuffer).self) {
                        all.append((key, Array(buffer: value)))
                    }
                    return (version, all)
                }
            }
        }
    }

    /// The settings' version alone, for a mirror asking whether to copy them again.
    public func settingsVersion() async throws(LedgerError) -> Int64 {
        try await reading("read the settings' version") { client, logger in
            try await client.query("SELECT version FROM settings_version", logger: logger).collect().first?.decode(Int64.self) ?? 0
        }
    }

    /// Stores `value` under `key` (nil deletes it), moves the version on and announces the change,
    /// in one durable transaction.
    public func setSetting(_ key: String, _ value: [UInt8]?) async throws(LedgerError) {
        try await reading("store the setting \(MessageText.quoted(key))") { client, logger in
            try await client.withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    if let value {
                        let bytes = ByteBuffer(bytes: value)
                        try await connection.query(
                            "INSERT INTO settings (key, value) VALUES (\(key), \(bytes)) ON CONFLICT (key) DO UPDATE SET value = excluded.value", logger: logger)
                    } else {
                        try await connection.query("DELETE FROM settings WHERE key = \(key)", logger: logger)
                    }
                    try await connection.query("UPDATE settings_version SET version = version + 1", logger: logger)
                    try await connection.query("SELECT pg_notify(\(PostgresSchema.commitChannel), 'settings')", logger: logger)
                }
            }
        }
    }
}
