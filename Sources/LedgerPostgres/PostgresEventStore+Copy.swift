import Foundation
public import LedgerModel
public import LedgerStore
import Logging
import NIOCore
import PostgresNIO

extension PostgresEventStore {
    /// Appends records of another ledger verbatim — positions, versions, recorded-at times and
    /// hashes as they are — in one transaction, and returns the new head (``LedgerMigration``).
    ///
    /// Each record must stand at the next position and link to the hash of the record before it;
    /// anything else is refused with ``LedgerError/Code/corrupt`` and nothing is written.
    public func copyIn(_ events: [RecordedEvent]) async throws(LedgerError) -> LedgerHead {
        guard !events.isEmpty else { return try await head() }
        let location = postgres
        return try await withConnection(doing: "copy records into the database") { connection, logger in
            try await connection.transaction(logger: logger) { connection in
                let rows = try await connection.send("SELECT position, hash, recorded_at FROM chain_head FOR UPDATE", logger: logger)
                guard let row = rows.first else { throw LedgerError(.corrupt, "the chain_head row is missing", detail: .damagedLog) }
                var head = try Self.head(from: row)
                var copied = [AppendPlan.Row]()
                for event in events {
                    guard head.isFollowed(by: event) else {
                        throw LedgerError(
                            .corrupt,
                            "the record at position \(event.position) does not follow the head of \(location) at position \(head.position); nothing was copied",
                            detail: .damagedLog)
                    }
                    let record = RecordCodec.encode(event)
                    head = LedgerHead(last: event, record: record)
                    copied.append(AppendPlan.Row(position: event.position, stream: event.stream, version: event.streamVersion, id: event.id, record: record, hash: head.hash))
                }
                try await PostgresAppendTransaction.insert(copied, head: head, on: connection, logger: logger)
                return head
            }
        }
    }
}
