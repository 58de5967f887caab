public import LedgerStore
import NIOCore
import PostgresNIO

/// Projection states and checkpoints in the `projections` and `projection_checkpoints` tables,
/// outside the chain; a commit writes states and checkpoint in one transaction, serialised per
/// projection by a transaction-scoped advisory lock, so two servers never both move one checkpoint.
extension PostgresEventStore: ProjectionStore {
    public func checkpoint(ofProjection name: String) async throws -> ProjectionCheckpoint? {
        try await withConnection(doing: "read a projection's checkpoint") { connection, logger in
            let query: PostgresQuery = "SELECT version, position FROM projection_checkpoints WHERE projection = \(name)"
            guard let row = try await connection.send(query, logger: logger).first else { return nil }
            let (version, position) = try row.decode((Int64, Int64).self)
            return try Self.checkpoint(name, version: version, position: position)
        }
    }

    public func states(ofProjection name: String, keys: [String]) async throws -> [String: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        return try await withConnection(doing: "read a projection's states") { connection, logger in
            var states = [String: [UInt8]]()
            let query: PostgresQuery = "SELECT key, state FROM projections WHERE projection = \(name) AND key = ANY(\(keys))"
            for row in try await connection.send(query, logger: logger) {
                let (key, state) = try row.decode((String, ByteBuffer).self)
                states[key] = Array(state.readableBytesView)
            }
            return states
        }
    }

    public func commit(
        projection name: String, states: [String: [UInt8]], checkpoint: ProjectionCheckpoint,
        expecting expected: ProjectionCheckpoint?, reset: Bool
    ) async throws(LedgerError) {
        try await withConnection(doing: "commit projection \(name)") { connection, logger in
            try await connection.transaction(logger: logger) { connection in
                try await connection.send("SELECT pg_advisory_xact_lock(hashtext(\(name)))", logger: logger)
                if reset {
                    try await connection.send("DELETE FROM projections WHERE projection = \(name)", logger: logger)
                } else {
                    var current: ProjectionCheckpoint?
                    let query: PostgresQuery = "SELECT version, position FROM projection_checkpoints WHERE projection = \(name)"
                    if let row = try await connection.send(query, logger: logger).first {
                        let (version, position) = try row.decode((Int64, Int64).self)
                        current = try Self.checkpoint(name, version: version, position: position)
                    }
                    guard current == expected else { throw LedgerError.projectionMovedOn(name) }
                }
                if !states.isEmpty {
                    let sorted = states.sorted { $0.key < $1.key }
                    let keys = sorted.map(\.key)
                    let values = sorted.map { ByteBuffer(bytes: $0.value) }
                    let upsert: PostgresQuery = """
                        INSERT INTO projections (projection, key, state) SELECT \(name), * FROM unnest(\(keys)::text[], \(values)::bytea[])
                        ON CONFLICT (projection, key) DO UPDATE SET state = excluded.state
                        """
                    try await connection.send(upsert, logger: logger)
                }
                try await connection.send(
                    """
                    INSERT INTO projection_checkpoints (projection, version, position) VALUES (\(name), \(Int64(checkpoint.version)), \(Int64(checkpoint.position)))
                    ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = excluded.position
                    """,
                    logger: logger)
            }
        }
    }

    private static func checkpoint(_ name: String, version: Int64, position: Int64) throws -> ProjectionCheckpoint {
        guard let version = UInt32(exactly: version), let position = UInt64(exactly: position) else {
            throw ProjectionDamage(projection: name, key: nil, reason: "its checkpoint row holds a version or position out of range")
        }
        return ProjectionCheckpoint(version: version, position: position)
    }
}
