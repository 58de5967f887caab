import LedgerStore
import Logging
import PostgresNIO

/// The ledger's tables in a PostgreSQL database, versioned as the LMDB format is: `create` makes
/// them, `check` refuses a database without them or made by a newer schema version.
///
/// - `events`: one row per record, `position` dense from 1 (never a sequence: a rolled-back
///   sequence value leaves a gap), the record's canonical bytes (`RecordCodec`) and their SHA-256;
///   unique `(stream, version)` and `event_id`, so no bug or foreign writer can fork a stream or
///   reuse an id.
/// - `chain_head`: one row, the last record's position, hash and recorded-at time (microseconds).
///   Every append transaction locks it first (`SELECT … FOR UPDATE`), which puts all writers of
///   every process in one order.
/// - `schema_version`: one row.
/// - `projections`, `projection_checkpoints`: derived data outside the chain (``ProjectionStore``).
/// - `settings`, `settings_version` (version 2): what the layers above keep beside the log and
///   cannot rebuild from it (access tokens' hashes, webhook receivers), shared by every server; the
///   one-row version moves on with every change, so mirrors know when to copy them again.
///
/// A database of an older schema version is upgraded when it is opened (``upgrades``), in one
/// transaction, as LMDB's settings table is made at the first open for writing.
enum PostgresSchema {
    /// The schema this build creates and reads.
    static let version: Int32 = 2

    /// The channel every commit is announced on, with the new head position as payload.
    static let commitChannel = "incident_ledger_commits"
    /// The payload of a settings change's notification on ``commitChannel`` (a commit's is its head position).
    static let settingsAnnouncement = "settings"

    static let statements: [PostgresQuery] = [
        """
        CREATE TABLE schema_version (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            version integer NOT NULL)
        """,
        """
        CREATE TABLE events (
            position bigint PRIMARY KEY CHECK (position > 0),
            stream text NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            event_id uuid NOT NULL UNIQUE,
            record bytea NOT NULL,
            hash bytea NOT NULL CHECK (length(hash) = 32),
            UNIQUE (stream, version))
        """,
        """
        CREATE TABLE chain_head (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            position bigint NOT NULL,
            hash bytea NOT NULL CHECK (length(hash) = 32),
            recorded_at bigint NOT NULL)
        """,
        """
        CREATE TABLE projection_checkpoints (
            projection text PRIMARY KEY,
            version bigint NOT NULL,
            position bigint NOT NULL)
        """,
        """
        CREATE TABLE projections (
            projection text NOT NULL,
            key text NOT NULL,
            state bytea NOT NULL,
            PRIMARY KEY (projection, key))
        """,
        "INSERT INTO chain_head (position, hash, recorded_at) VALUES (0, decode(repeat('00', 32), 'hex'), \(Int64.min))",
    ] + upgrades.flatMap(\.statements)

    /// What takes a database from one schema version to the next: `upgrades[0]` from 1 to 2.
    static let upgrades: [(to: Int32, statements: [PostgresQuery])] = [
        (2, [
            "CREATE TABLE settings (key text PRIMARY KEY, value bytea NOT NULL)",
            """
            CREATE TABLE settings_version (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                version bigint NOT NULL)
            """,
            "INSERT INTO settings_version (version) VALUES (0)",
        ]),
    ]

    /// Makes the ledger's tables in one transaction; an existing ledger is refused, untouched.
    static func create(on connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        if try await storedVersion(on: connection, logger: logger) != nil {
            throw LedgerError(
                .alreadyExists, "the database \(location) already holds a ledger; nothing was changed — use it as it is, or name an empty database",
                ledgerPath: location.description)
        }
        try await connection.transaction(logger: logger) { connection in
            for statement in statements { try await connection.send(statement, logger: logger) }
            try await connection.send("INSERT INTO schema_version (version) VALUES (\(version))", logger: logger)
        }
    }

    /// Refuses a database that holds no ledger, or one made by a newer schema version.
    static func check(on connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        guard let stored = try await storedVersion(on: connection, logger: logger) else {
            throw LedgerError(
                .ledgerNotFound, "the database \(location) holds no ledger (it has no schema_version table) — create one with `incidents init --ledger \(location)`",
                ledgerPath: location.description)
        }
        guard stored <= version else {
            throw LedgerError(
                .unsupportedFormat,
                "the database \(location) has ledger schema version \(stored), newer than this build reads (\(version))",
                ledgerPath: location.description)
        }
        if stored < version { try await upgrade(on: connection, logger: logger) }
    }

    /// Brings an older schema to this build's version in one transaction. The version row is
    /// locked first, so two processes opening the database at once upgrade it once.
    static func upgrade(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.transaction(logger: logger) { connection in
            let stored = try await connection.send("SELECT version FROM schema_version FOR UPDATE", logger: logger).first?.decode(Int32.self) ?? version
            for upgrade in upgrades where upgrade.to > stored {
                for statement in upgrade.statements { try await connection.send(statement, logger: logger) }
            }
            try await connection.send("UPDATE schema_version SET version = \(version)", logger: logger)
        }
    }

    /// The stored schema version, nil when the database has no `schema_version` table.
    static func storedVersion(on connection: PostgresConnection, logger: Logger) async throws -> Int32? {
        let exists = try await connection.send("SELECT to_regclass('schema_version') IS NOT NULL", logger: logger).first?.decode(Bool.self) ?? false
        guard exists else { return nil }
        return try await connection.send("SELECT version FROM schema_version", logger: logger).first?.decode(Int32.self)
    }
}
