import CLMDB
import Dispatch
package import LedgerModel
import Foundation
import Synchronization

/// The upstream a mirror's writes go to while this process follows it; empty otherwise.
final class UpstreamSlot: Sendable {
    private let current = Mutex<(any LedgerUpstream)?>(nil)

    var upstream: (any LedgerUpstream)? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

/// A mirror: an LMDB ledger that copies a shared log verbatim (see ``LedgerUpstream``).
extension Ledger {
    /// Sends this mirror's writes to `upstream`, which follows the shared log into it; nil stops.
    package func attach(upstream: (any LedgerUpstream)?) {
        self.upstream.upstream = upstream
    }

    /// The upstream a mirror's write goes to; refused when this process does not follow it.
    func upstreamForWriting() throws(LedgerError) -> any LedgerUpstream {
        guard let upstream = upstream.upstream else {
            throw LedgerError(
                .permissionDenied,
                "the ledger at \(path) is a mirror of \(mirrorOf ?? "a shared log") and is written only by copying it; nothing was written",
                detail: .mirror, ledgerPath: path)
        }
        return upstream
    }

    /// Copies records of the shared log into the mirror, verbatim, after its head, in one durable
    /// transaction, and returns the new head.
    ///
    /// Each record must stand at the next position and link to the hash of the record before it;
    /// a record the mirror holds already (another process copying into the same mirror) must be
    /// byte for byte the one it holds. Anything else means the shared log is not the one this
    /// mirror copied — another database, or one that lost commits — and is refused with
    /// ``LedgerError/Code/corrupt`` (detail ``LedgerError/Detail/mirrorDiverged``), nothing written.
    package func replicate(_ events: [RecordedEvent]) async throws(LedgerError) -> LedgerHead {
        guard isWritable else { throw LedgerError.notWritable(path) }
        let records = events.map(RecordCodec.encode)
        let outcome: Result<LedgerHead, LedgerError> = await withCheckedContinuation { continuation in
            workQueue.async {
                continuation.resume(returning: Result { () throws(LedgerError) in try self.replicateNow(events, records) })
            }
        }
        let head = try outcome.get()
        commits.signal()
        return head
    }

    private func replicateNow(_ events: [RecordedEvent], _ records: [[UInt8]]) throws(LedgerError) -> LedgerHead {
        do {
            return try environment.write(expectedBytes: records.reduce(4096) { $0 + $1.count * 2 }) { txn in
                let databases = environment.databases
                var head = try AppendTransaction.head(in: txn, databases)
                _ = try MerkleStorage.catchUp(to: head, in: txn, databases)
                let startHead = head
                var written = [[UInt8]]()
                for (event, record) in zip(events, records) {
                    if event.position <= head.position {
                        let held = try Keys.withPosition(event.position) { try txn.get(databases.log, $0) }.map { Array($0) }
                        guard held == record else { throw diverged("its record at position \(event.position) differs from the shared log's") }
                        continue
                    }
                    guard head.isFollowed(by: event) else {
                        throw diverged("the shared log's record at position \(event.position) does not follow the mirror's head at \(head.position)")
                    }
                    let version = try AppendTransaction.currentVersion(of: event.stream, in: txn, databases)
                    guard event.streamVersion == version + 1 else {
                        throw diverged("the shared log's record at position \(event.position) is version \(event.streamVersion) of \(event.stream), which the mirror holds at version \(version)")
                    }
                    let isNew = try withUnsafeBytes(of: event.id.uuid) { idKey in
                        try Keys.withPosition(event.position) { try txn.insert(databases.ids, idKey, $0) }
                    }
                    guard isNew else { throw diverged("the event id at position \(event.position) is recorded at another position") }
                    try AppendTransaction.write(record, at: event.position, stream: event.stream, version: event.streamVersion, in: txn, databases)
                    head = LedgerHead(last: event, record: record)
                    written.append(record)
                }
                if head != startHead {
                    try txn.put(databases.meta, Keys.Meta.head, head.encoded)
                    try AppendTransaction.noteFormat(ofRecordsWritten: written, in: txn, databases)
                }
                return head
            }
        } catch {
            throw GroupCommitter.ledgerError(error)
        }
    }

    private func diverged(_ what: String) -> LedgerError {
        LedgerError(
            .corrupt, "the mirror at \(path) does not copy \(mirrorOf ?? "the shared log"): \(what); nothing was written",
            detail: .mirrorDiverged, ledgerPath: path)
    }
}
