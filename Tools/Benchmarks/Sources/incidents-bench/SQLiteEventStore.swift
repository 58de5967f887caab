import CSQLite
import Foundation
import LedgerModel

/// The store a user would otherwise pick: one SQLite table of events, in WAL mode with
/// `synchronous=FULL` so that every commit is on disk before it returns, as the ledger's are.
///
/// Each append is its own transaction (BEGIN; INSERT; COMMIT), like a service that records every
/// incident update the moment it arrives.
final class SQLiteEventStore {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let database: OpaquePointer
    private let begin: OpaquePointer
    private let insert: OpaquePointer
    private let commit: OpaquePointer

    /// The SQLite library's version, for the report.
    static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    init(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw Failure(description: "cannot open \(path): \(message)")
        }
        database = handle
        do {
            try Self.execute(handle, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                CREATE TABLE events (
                    position INTEGER PRIMARY KEY,
                    stream TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    id BLOB NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    body TEXT NOT NULL
                );
                """)
            begin = try Self.prepare(handle, "BEGIN")
            insert = try Self.prepare(
                handle, "INSERT INTO events (position, stream, version, id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)")
            commit = try Self.prepare(handle, "COMMIT")
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        sqlite3_finalize(begin)
        sqlite3_finalize(insert)
        sqlite3_finalize(commit)
        sqlite3_close_v2(database)
    }

    /// Appends one event in its own durable transaction. `json` is the event's JSON text.
    func append(_ event: RecordedEvent, json: [UInt8]) throws {
        try step(begin)
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)  // SQLITE_TRANSIENT: SQLite copies
        sqlite3_bind_int64(insert, 1, Int64(event.position))
        sqlite3_bind_text(insert, 2, event.stream, -1, transient)
        sqlite3_bind_int64(insert, 3, Int64(event.streamVersion))
        withUnsafeBytes(of: event.id.uuid) { id in
            _ = sqlite3_bind_blob(insert, 4, id.baseAddress, Int32(id.count), transient)
        }
        sqlite3_bind_text(insert, 5, event.type, -1, transient)
        sqlite3_bind_int64(insert, 6, event.occurredAt.microsecondsSinceEpoch)
        json.withUnsafeBytes { text in
            _ = sqlite3_bind_text(insert, 7, text.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(text.count), transient)
        }
        do {
            try step(insert)
        } catch {
            _ = sqlite3_exec(database, "ROLLBACK", nil, nil, nil)
            throw error
        }
        try step(commit)
    }

    private func step(_ statement: OpaquePointer) throws {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw Failure(description: "SQLite: \(String(cString: sqlite3_errmsg(database)))")
        }
    }

    private static func execute(_ database: OpaquePointer, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(database, sql, nil, nil, &message) == SQLITE_OK else {
            defer { sqlite3_free(message) }
            throw Failure(description: "SQLite: \(message.map { String(cString: $0) } ?? "unknown error")")
        }
    }

    private static func prepare(_ database: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw Failure(description: "SQLite: \(String(cString: sqlite3_errmsg(database)))")
        }
        return statement
    }
}
