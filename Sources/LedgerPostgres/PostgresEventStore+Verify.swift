import Foundation
public import LedgerModel
public import LedgerStore
import NIOCore
import PostgresNIO

extension PostgresEventStore {
    /// Reads the whole log and checks its chain: positions 1…N without a gap, every record decodes
    /// and agrees with its row (stream, version, id), every stored hash is the record's SHA-256,
    /// every record links to the one before, and the `chain_head` row is the last record's.
    /// Returns the verified head; throws ``LedgerError/Code/corrupt`` at the first damage.
    public func verify() async throws(LedgerError) -> LedgerHead {
        var verified = LedgerHead.empty
        while true {
            let from = Int64(verified.position + 1)
            let page: [(Int64, String, Int64, UUID, ByteBuffer, ByteBuffer)] = try await withConnection(doing: "verify the log") { connection, logger in
                let query: PostgresQuery = "SELECT position, stream, version, event_id, record, hash FROM events WHERE position >= \(from) ORDER BY position LIMIT 1000"
                return try await connection.send(query, logger: logger).map { try $0.decode((Int64, String, Int64, UUID, ByteBuffer, ByteBuffer).self) }
            }
            guard !page.isEmpty else { break }
            for (position, stream, version, id, record, hash) in page {
                let expected = verified.position + 1
                guard position == Int64(expected) else {
                    throw Self.damage("position \(expected) is missing (the next record is at \(position))")
                }
                let event = try Self.decode(record, at: expected)
                guard event.stream == stream, event.streamVersion == UInt64(version), event.id == id else {
                    throw Self.damage("the record at position \(expected) disagrees with its row's stream, version or id")
                }
                let computed = record.withUnsafeReadableBytes { Hash256.sha256($0) }
                guard hash.withUnsafeReadableBytes({ Hash256(bytes: $0) }) == computed, hash.readableBytes == 32 else {
                    throw Self.damage("the record at position \(expected) does not match its stored hash")
                }
                guard event.previousHash == verified.hash else {
                    throw Self.damage("the record at position \(expected) does not link to the record before it")
                }
                verified = LedgerHead(position: expected, hash: computed, recordedAt: event.recordedAt)
            }
        }
        let head = try await head()
        guard head.position == verified.position, head.hash == verified.hash,
            head.position == 0 || head.recordedAt == verified.recordedAt
        else {
            throw Self.damage("the chain head (position \(head.position)) is not the last record's (position \(verified.position))")
        }
        return head
    }

    private static func damage(_ what: String) -> LedgerError {
        LedgerError(.corrupt, "the log is damaged: \(what)", detail: .damagedLog)
    }
}
